-- Removing the notification of a follow or request (unfollow, block, reject, unlock) looks
-- notifications up by (from_account_id, account_id, type): serve it from one index.
CREATE INDEX index_notifications_on_from_account_and_account_and_type
    ON notifications (from_account_id, account_id, type);
DROP INDEX index_notifications_on_from_account_id;
