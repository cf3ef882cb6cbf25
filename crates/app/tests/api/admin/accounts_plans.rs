//! The admin accounts list filters are served by indexes: the plan of each filter's page
//! query (the statement the endpoint runs, via `services::moderation::explain`) reads no
//! whole table. SQLite's plans are checked; PostgreSQL's depend on table statistics and are
//! reported from the 1M-account benchmark database instead (BENCHMARKS.md).

use woolly::db::repo::explain::sqlite_full_scans;
use woolly::services::moderation::accounts::ApiVersion;
use woolly::services::moderation::explain;
use woolly_testkit::{TestApp, db_test};

#[db_test(sqlite_only = "reads SQLite query plans")]
async fn every_selective_filter_reads_through_an_index(app: TestApp) {
    let filters = [
        "username=al",
        "display_name=Al",
        "email=al@example.com",
        "by_domain=example.org",
        "role_ids[]=1",
        "permissions=staff",
        "ip=10.0.0.0/8",
        "invited_by=1",
        "status=pending",
        "status=disabled",
        "status=silenced",
        "status=suspended",
        "status=sensitized",
        "status=active&username=al",
        "origin=local&email=al",
        "max_id=999999&username=al",
        "min_id=1&status=suspended",
    ];
    for q in filters {
        let e = explain::accounts_list(&app.state, ApiVersion::V2, q)
            .await
            .unwrap();
        assert!(!e.plan.is_empty(), "{q}");
        let scans = sqlite_full_scans(&e.plan, &[]);
        assert!(
            scans.is_empty(),
            "{q}: {scans:?}\n{}\n{}",
            e.sql,
            e.plan.join("\n")
        );
    }
    // Status filters walk their own index newest first: no sort of every match.
    for q in [
        "status=pending",
        "status=disabled",
        "status=silenced",
        "status=suspended",
        "status=sensitized",
        "status=pending&max_id=999999",
    ] {
        let e = explain::accounts_list(&app.state, ApiVersion::V2, q)
            .await
            .unwrap();
        assert!(
            !e.plan
                .iter()
                .any(|l| l.contains("TEMP B-TREE") || l.contains("LIST SUBQUERY")),
            "{q}: {}",
            e.plan.join("\n")
        );
    }
    // Unselective filters walk the id index newest first and stop after one page.
    for q in ["status=active", "origin=remote", ""] {
        let e = explain::accounts_list(&app.state, ApiVersion::V2, q)
            .await
            .unwrap();
        assert!(
            e.sql.ends_with("ORDER BY a.id DESC LIMIT $1")
                || e.sql.contains("ORDER BY a.id DESC LIMIT $"),
            "{}",
            e.sql
        );
        assert!(
            !e.plan.iter().any(|l| l.contains("TEMP B-TREE")),
            "{q}: {}",
            e.plan.join("\n")
        );
    }
    // v1 translates to the same filters.
    let e = explain::accounts_list(&app.state, ApiVersion::V1, "pending=true&username=al")
        .await
        .unwrap();
    assert!(
        sqlite_full_scans(&e.plan, &[]).is_empty(),
        "{}",
        e.plan.join("\n")
    );
}

#[db_test]
async fn bad_filters_are_refused_as_by_the_endpoint(app: TestApp) {
    let err = explain::accounts_list(&app.state, ApiVersion::V2, "status=bogus")
        .await
        .unwrap_err();
    assert_eq!(err.body()["error"], "Unknown status: bogus");
}
