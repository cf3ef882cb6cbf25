//! Golden files of the statements the big builders generate, on each backend
//! (`crates/app/snapshots/`): a reader sees the SQL, and a change to it shows in review.
//! `cargo insta review` (or `INSTA_UPDATE=always`) rewrites them after an intended change.

use crate::db::Backend;
use crate::db::repo::admin_accounts::{
    AccountFilter, FilterPlan, Origin, Status, filter_conditions, page_query,
};
use crate::db::repo::relationships::{TargetCheck, facts_sql_for};
use crate::db::repo::search::{Terms, search_sql};
use crate::domain::page::Cursor;

const BACKENDS: [(Backend, &str); 2] = [(Backend::Sqlite, "sqlite"), (Backend::Postgres, "pg")];

/// One clause a line, so a diff points at the clause that changed (`BETWEEN x AND y`
/// stays on its line).
fn layout(sql: &str) -> String {
    let mut out = sql.replace(" CROSS JOIN ", " CROSS_JOIN ");
    for word in [
        " UNION ALL ",
        " FROM ",
        " WHERE ",
        " ORDER BY ",
        " LIMIT ",
        " LEFT JOIN ",
        " JOIN ",
        " CROSS_JOIN ",
    ] {
        out = out.replace(word, &format!("\n{}", word.trim_start()));
    }
    let mut joined = String::new();
    for (i, part) in out.split(" AND ").enumerate() {
        if i > 0 {
            let between = joined.split_whitespace().nth_back(1) == Some("BETWEEN");
            joined.push_str(if between { " AND " } else { "\nAND " });
        }
        joined.push_str(part);
    }
    joined.replace("CROSS_JOIN", "CROSS JOIN")
}

fn snapshot(name: &str, text: String) {
    insta::with_settings!({
        snapshot_path => "../../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn facts_sql() {
    for (backend, tag) in BACKENDS {
        snapshot(
            &format!("facts_sql_{tag}"),
            layout(&facts_sql_for(backend, 2, None)),
        );
        let check = TargetCheck {
            with_suspended: false,
        };
        snapshot(
            &format!("facts_sql_checked_{tag}"),
            layout(&facts_sql_for(backend, 2, Some(check))),
        );
    }
}

#[test]
fn search_sql_snapshots() {
    let words = Terms::Words {
        word: "ali".into(),
        lexeme: "ali".into(),
        domains: true,
    };
    let handle = Terms::Handle {
        username: "ali".into(),
        domain: "example".into(),
    };
    for (backend, tag) in BACKENDS {
        snapshot(
            &format!("search_sql_words_{tag}"),
            layout(&search_sql(backend, &words, false)),
        );
        snapshot(
            &format!("search_sql_handle_following_{tag}"),
            layout(&search_sql(backend, &handle, true)),
        );
    }
}

/// Every key of the filter at once.
fn full_filter() -> AccountFilter {
    AccountFilter {
        origin: Some(Origin::Local),
        status: Some(Status::Disabled),
        role_ids: Some(vec![3, 4]),
        invited_by: Some(7),
        by_domain: None,
        username: Some("ali".into()),
        display_name: Some("al".into()),
        email: Some("a@".into()),
        ip: Some(Some(("lo".into(), "hi".into()))),
    }
}

#[test]
fn filter_conditions_snapshots() {
    for (backend, tag) in BACKENDS {
        for walk_ip in [false, true] {
            let c = filter_conditions(&full_filter(), FilterPlan { walk_ip }, backend);
            snapshot(
                &format!("filter_conditions_walk_{walk_ip}_{tag}"),
                format!(
                    "from_users: {}\n{}\n{:?}",
                    c.from_users,
                    layout(&c.conds.sql()),
                    &*c.conds.args
                ),
            );
        }
    }
}

#[test]
fn admin_account_page_query() {
    let remote = AccountFilter {
        origin: Some(Origin::Remote),
        by_domain: Some("remote.example".into()),
        ..AccountFilter::default()
    };
    let cursor = Cursor {
        max_id: Some(900),
        since_id: Some(100),
        ..Cursor::first(40)
    };
    let min = Cursor {
        min_id: Some(100),
        ..Cursor::first(40)
    };
    for (backend, tag) in BACKENDS {
        for (name, filter, cursor) in [
            ("remote", &remote, &cursor),
            ("full_min_id", &full_filter(), &min),
        ] {
            let conds = filter_conditions(filter, FilterPlan::default(), backend);
            let (sql, args) = page_query(conds, cursor);
            snapshot(
                &format!("admin_account_page_{name}_{tag}"),
                format!("{}\n{:?}", layout(&sql), &*args),
            );
        }
    }
}
