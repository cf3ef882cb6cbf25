//! The inline read path (`*_in` functions; rusqlite on SQLite) returns exactly what the
//! sqlx path returns, for every kind of account and token it may meet.

use woolly::db::repo::admin_accounts::Arg;
use woolly::db::repo::explain::{self, sqlite_full_scans};
use woolly::db::repo::{accounts, follows, relationships, viewers};
use woolly::domain::secrets;
use woolly_testkit::{TestApp, db_test};

use crate::admin::support::Spec;

use crate::oauth::support::register;

#[db_test]
async fn account_records_match_the_sqlx_path(app: TestApp) {
    let owner = app.user_with("boss", Some("Owner"), "read").await;
    let pending = crate::admin::support::local(
        &app,
        "waiting",
        Spec {
            pending: true,
            ..Spec::default()
        },
    )
    .await;
    let remote = crate::admin::support::remote(&app, "far", "remote.example").await;
    let gone = crate::admin::support::local(&app, "leaving", Spec::default()).await;
    app.sql(&format!(
        "INSERT INTO account_deletion_requests (id, account_id, created_at) VALUES (1, {gone}, 5)"
    ))
    .await;
    app.sql(&format!(
        "UPDATE accounts SET suspended_at = 7, suspension_origin = 'local', silenced_at = 8, \
         moved_to_account_id = {remote}, note = 'x', \
         fields = '[{{\"name\":\"a\",\"value\":\"b\"}}]', last_status_at = 9, \
         hide_collections = TRUE, discoverable = FALSE WHERE id = {pending}"
    ))
    .await;
    let ids = [
        owner.account_id.parse::<i64>().unwrap(),
        pending,
        remote,
        gone,
        424242,
    ];
    let db = app.state.db();
    for id in ids {
        let inline = accounts::find_in(db, id).await.unwrap();
        let mut conn = db.conn().await.unwrap();
        let pooled = accounts::find(&mut conn.exec(), id).await.unwrap();
        assert_eq!(format!("{inline:?}"), format!("{pooled:?}"), "account {id}");
    }
    let count = follows::follow_requests_count_in(db, ids[0]).await.unwrap();
    let mut conn = db.conn().await.unwrap();
    assert_eq!(
        count,
        follows::follow_requests_count(&mut conn.exec(), ids[0])
            .await
            .unwrap()
    );
}

#[db_test]
async fn viewer_rows_match_the_sqlx_path(app: TestApp) {
    let owner = app.user_with("boss", Some("Owner"), "read write").await;
    let plain = app.user("plain").await;
    app.sql(&format!(
        "UPDATE users SET locale = 'de', unconfirmed_email = 'n@example.com' WHERE account_id = {}",
        plain.account_id
    ))
    .await;
    // An app token (no user) from the client-credentials grant.
    let client = register(&app, "urn:ietf:wg:oauth:2.0:oob", "read").await;
    let res = app
        .post(
            "/oauth/token",
            None,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", &client.client_id),
                ("client_secret", &client.secret),
                ("scope", "read"),
            ],
        )
        .await;
    let app_token = res.json()["access_token"].as_str().unwrap().to_owned();
    let db = app.state.db();
    for token in [
        owner.token.as_str(),
        plain.token.as_str(),
        app_token.as_str(),
        "unknown",
    ] {
        let digest = secrets::digest(token);
        let inline = viewers::find_in(db, &digest).await.unwrap();
        let mut conn = db.conn().await.unwrap();
        let pooled = viewers::find(&mut conn.exec(), &digest).await.unwrap();
        assert_eq!(
            format!("{inline:?}"),
            format!("{pooled:?}"),
            "token {token}"
        );
    }
}

#[db_test(sqlite_only = "reads SQLite query plans")]
async fn the_relationships_statement_reads_through_indexes(app: TestApp) {
    let mut conn = app.state.db().conn().await.unwrap();
    for n in [1usize, 2, 40] {
        let sql = relationships::lookup_sql(woolly::db::Backend::Sqlite, n);
        let mut args = vec![Arg::Int(1)];
        args.extend((0..n).map(|i| Arg::Int(100 + i as i64)));
        args.push(Arg::Int(5));
        let plan = explain::plan(&mut conn.exec(), &sql, &args).await.unwrap();
        let scans = sqlite_full_scans(&plan, &["ids"]);
        let scans: Vec<&&str> = scans
            .iter()
            .filter(|l| !l.contains("CONSTANT ROW"))
            .collect();
        assert!(scans.is_empty(), "{n}: {scans:?}\n{}", plan.join("\n"));
        // no ephemeral b-tree per IN list, no sort
        assert!(
            !plan
                .iter()
                .any(|l| l.contains("TEMP B-TREE") || l.contains("LIST SUBQUERY")),
            "{}",
            plan.join("\n")
        );
    }
}
