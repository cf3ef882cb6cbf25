-- Statuses across servers (issue 13): a remote status is a statuses row of a remote account
-- whose `uri` is its ActivityPub id (a reblog's is the Announce's id). The same object
-- arriving twice (a replayed Create, an Announce of a known Note) finds its row here; NULL
-- uris (local statuses, whose uri is derived from the id) never collide.
CREATE UNIQUE INDEX index_statuses_on_uri ON statuses (uri);
