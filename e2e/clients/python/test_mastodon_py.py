"""Mastodon.py (PyPI `Mastodon.py`, pinned in requirements.txt) against the real binary,
used as its documentation says: create_app, create_account, instance(), search_v2,
stream_user with a listener (SSE, and over the multiplexed WebSocket), report."""

import threading
import time
import warnings

import pytest
from mastodon import Mastodon, MastodonAPIError, StreamListener

PASSWORD = "correct horse battery staple"
SCOPES = ["read", "write", "follow", "push"]
WAIT = 15  # seconds for a streamed event


class Collect(StreamListener):
    """Keeps every update and notification for the test thread to look through."""

    def __init__(self):
        self.seen = []
        self.changed = threading.Condition()

    def _put(self, kind, payload):
        with self.changed:
            self.seen.append((kind, payload))
            self.changed.notify_all()

    def on_update(self, status):
        self._put("update", status)

    def on_notification(self, notification):
        self._put("notification", notification)

    def on_abort(self, err):
        self._put("abort", err)

    def wait_for(self, kind, matches, timeout=WAIT):
        """The first event of `kind` that `matches`, seen so far or within `timeout`; else None."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for got, payload in self.seen:
                    assert got != "abort", f"stream aborted: {payload}"
                    if got == kind and matches(payload):
                        return payload
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.changed.wait(left)


@pytest.fixture(scope="module")
def app(woolly):
    client_id, client_secret = Mastodon.create_app(
        "woolly-e2e-mastodon-py", api_base_url=woolly.base, scopes=SCOPES
    )
    return client_id, client_secret


def register(woolly, app, username):
    """create_account with the app's client grant, then the operator confirms the address."""
    client_id, client_secret = app
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=woolly.base)
    token = api.create_account(
        username, PASSWORD, f"{username}@example.com", agreement=True, locale="en", scopes=SCOPES
    )
    assert token
    # Unconfirmed: the sign-in token is refused like upstream does.
    with pytest.raises(MastodonAPIError) as refused:
        api.account_verify_credentials()
    assert "confirmed e-mail" in str(refused.value)
    woolly.admin("confirm", username)
    # "Log in" with the returned token, as a fresh client would; version_check_mode="created"
    # detects the version at construction (GET /api/v1/instance/, with the trailing slash).
    user = Mastodon(access_token=token, api_base_url=woolly.base, version_check_mode="created")
    me = user.account_verify_credentials()
    assert me.username == username
    return user, me


@pytest.fixture(scope="module")
def users(woolly, app):
    alice, alice_me = register(woolly, app, "alice")
    bob, bob_me = register(woolly, app, "bob")
    return {"alice": (alice, alice_me), "bob": (bob, bob_me)}


def test_version_detection_and_instance(woolly, users):
    alice, _ = users["alice"]
    # Detection read /api/v1/instance/ (trailing slash) and v2's api_versions, without the
    # "no API version found" warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        version = alice.retrieve_mastodon_version(fail_hard=True)
    assert alice.mastodon_major >= 4, version
    assert alice.mastodon_api_version >= 1
    assert alice.verify_minimum_version("4.0.0", cached=True)
    # On a server detected as >= 4.0.0, instance() reads v2.
    instance = alice.instance()
    assert instance.domain == f"127.0.0.1:{woolly.port}"
    assert instance.configuration.urls.streaming == f"ws://127.0.0.1:{woolly.port}"
    v1 = alice.instance_v1()
    assert v1.uri == f"127.0.0.1:{woolly.port}"
    assert v1.urls.streaming_api == f"ws://127.0.0.1:{woolly.port}"


def test_search_v2_finds_account(users):
    bob, _ = users["bob"]
    _, alice_me = users["alice"]
    found = bob.search_v2("alice", result_type="accounts", resolve=False)
    assert [a.id for a in found.accounts] == [alice_me.id]
    assert found.statuses == []
    assert found.hashtags == []


def test_stream_user_receives_follow_notification(users):
    alice, alice_me = users["alice"]
    bob, bob_me = users["bob"]

    sse = Collect()
    sse_handle = alice.stream_user(sse, run_async=True)
    ws = Collect()
    ws_handle = alice.stream_open_websocket()
    ws_sub = alice.stream_user(ws, websocket_handle=ws_handle)
    try:
        # A WebSocket subscribe gets no acknowledgement; alice's own statuses reach her user
        # stream, so once one arrives on both, both are live.
        for attempt in range(20):
            alice.status_post(f"probe {attempt}")
            if all(l.wait_for("update", lambda s: True, timeout=0.5) for l in (sse, ws)):
                break
        for listener in (sse, ws):
            assert listener.wait_for("update", lambda s: True, timeout=0), "no update on a user stream"

        bob.account_follow(alice_me.id)
        for listener in (sse, ws):
            note = listener.wait_for("notification", lambda n: n.type == "follow")
            assert note is not None, "no follow notification on a user stream"
            assert note.account.id == bob_me.id
            assert note.account.acct == "bob"
    finally:
        ws_sub.close()
        ws_handle.close()
        # Mastodon.py's SSE close() waits for its reader, which only wakes on the next bytes
        # (the heartbeat comes every 15 s): close in the background and wake it with a status.
        closer = threading.Thread(target=sse_handle.close, daemon=True)
        closer.start()
        alice.status_post("closing the stream")
        closer.join(timeout=WAIT)
        assert not closer.is_alive(), "the SSE stream did not close"


def test_report(users):
    bob, _ = users["bob"]
    _, alice_me = users["alice"]
    report = bob.report(alice_me.id, comment="spam from a client test", forward=False, category="spam")
    assert report.target_account.id == alice_me.id
    assert report.comment == "spam from a client test"
    assert report.category == "spam"
    assert report.action_taken is False
