//! End to end: account migration between two `woolly serve` processes. alice on A is
//! followed by bob on B; alice's new account on B lists her old one as an alias; alice moves
//! through the client API on A (`POST /api/v1/accounts/move`); B receives the Move, finds the
//! alias, and bob follows the new account while the old one shows `moved`.

mod support;

use support::federation::{eventually, get, rel, resolve, start, user};
use support::{create_account, json, token};

#[tokio::test]
async fn a_move_reaches_the_followers_server() {
    let http = reqwest::Client::new();
    let a = start(&http).await;
    let b = start(&http).await;
    create_account(
        a.dir.path(),
        a.port,
        "alice",
        &["--password", "password123"],
    );
    let alice = token(a.dir.path(), a.port, "alice", "read write follow");
    let bob = user(&b, "bob", None);
    let newalice = user(&b, "newalice", None);

    // bob follows alice
    let alice_on_b = resolve(&http, &b, &bob, &format!("alice@{}", a.domain)).await;
    json(
        http.post(format!("{}/api/v1/accounts/{alice_on_b}/follow", b.base))
            .bearer_auth(&bob),
        200,
    )
    .await;
    eventually("alice's Accept", || async {
        rel(&http, &b, &bob, &alice_on_b).await["following"] == true
    })
    .await;

    // the new account lists the old one
    let old_uri = format!("{}/users/alice", a.base);
    json(
        http.post(format!("{}/api/v1/accounts/alias", b.base))
            .bearer_auth(&newalice)
            .form(&[("also_known_as_uris[]", old_uri.as_str())]),
        200,
    )
    .await;

    // the move, on A
    let new_uri = format!("{}/users/newalice", b.base);
    let moved = json(
        http.post(format!("{}/api/v1/accounts/move", a.base))
            .bearer_auth(&alice)
            .form(&[
                ("password", "password123"),
                ("moved_to_uri", new_uri.as_str()),
            ]),
        202,
    )
    .await;
    assert_eq!(moved["message"], "accepted");

    let me = get(
        &http,
        &format!("{}/api/v1/accounts/verify_credentials", b.base),
        &newalice,
    )
    .await;
    let newalice_id = me["id"].as_str().unwrap_or_default().to_owned();
    eventually("bob following the new account", || async {
        rel(&http, &b, &bob, &newalice_id).await["following"] == true
    })
    .await;
    assert_eq!(rel(&http, &b, &bob, &alice_on_b).await["following"], false);
    let old_there = get(
        &http,
        &format!("{}/api/v1/accounts/{alice_on_b}", b.base),
        &bob,
    )
    .await;
    assert_eq!(
        old_there["moved"]["id"],
        newalice_id.as_str(),
        "{old_there}"
    );
    // A shows the move too, and its actor carries movedTo
    let actor = json(
        http.get(&old_uri)
            .header("accept", "application/activity+json"),
        200,
    )
    .await;
    assert_eq!(actor["movedTo"], new_uri);
}
