//! The authorization matrix of every admin endpoint, as upstream: no token → 403 not
//! allowed (never 401), a token without admin scopes → 403 scope error, a plain user → 403,
//! Moderator / Admin / Owner per their permissions, and nobody acts on an equal or higher role.

use axum::http::Method;
use woolly_testkit::{TestApp, db_test};

use super::support::{ADMIN_SCOPES, SILENCED, Spec, account_post, local, path, staff};

/// What a case needs to exist before the request.
#[derive(Clone, Copy)]
enum Setup {
    Plain,
    Pending,
    Suspended,
    Report,
}

/// Expected status for: no token, token without admin scope, plain user, Moderator, Admin, Owner.
struct Case {
    method: Method,
    path: &'static str,
    setup: Setup,
    params: &'static [(&'static str, &'static str)],
    expect: [u16; 6],
}

const NA: u16 = 403;

fn cases() -> Vec<Case> {
    use Setup::*;
    let c = |method: Method, path, setup, params, expect| Case {
        method,
        path,
        setup,
        params,
        expect,
    };
    vec![
        c(
            Method::GET,
            "/api/v1/admin/accounts",
            Plain,
            &[],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::GET,
            "/api/v2/admin/accounts",
            Plain,
            &[],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::GET,
            "/api/v1/admin/accounts/:id",
            Plain,
            &[],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::POST,
            "/api/v1/admin/accounts/:id/approve",
            Pending,
            &[],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::POST,
            "/api/v1/admin/accounts/:id/reject",
            Pending,
            &[],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::POST,
            "/api/v1/admin/accounts/:id/enable",
            Plain,
            &[],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::POST,
            "/api/v1/admin/accounts/:id/unsilence",
            Plain,
            &[],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::POST,
            "/api/v1/admin/accounts/:id/unsensitive",
            Plain,
            &[],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::POST,
            "/api/v1/admin/accounts/:id/unsuspend",
            Suspended,
            &[],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::DELETE,
            "/api/v1/admin/accounts/:id",
            Suspended,
            &[],
            [NA, NA, NA, NA, 200, 200],
        ),
        c(
            Method::POST,
            "/api/v1/admin/accounts/:id/action",
            Plain,
            &[("type", "none")],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::POST,
            "/api/v1/admin/accounts/:id/action",
            Plain,
            &[("type", "disable")],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::POST,
            "/api/v1/admin/accounts/:id/action",
            Plain,
            &[("type", "sensitive")],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::POST,
            "/api/v1/admin/accounts/:id/action",
            Plain,
            &[("type", "silence")],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::POST,
            "/api/v1/admin/accounts/:id/action",
            Plain,
            &[("type", "suspend")],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::GET,
            "/api/v1/admin/reports",
            Plain,
            &[],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::GET,
            "/api/v1/admin/reports/:id",
            Report,
            &[],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::POST,
            "/api/v1/admin/reports/:id/assign_to_self",
            Report,
            &[],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::POST,
            "/api/v1/admin/reports/:id/unassign",
            Report,
            &[],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::POST,
            "/api/v1/admin/reports/:id/resolve",
            Report,
            &[],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::POST,
            "/api/v1/admin/reports/:id/reopen",
            Report,
            &[],
            [NA, NA, NA, 200, 200, 200],
        ),
        c(
            Method::GET,
            "/api/v1/admin/action_logs",
            Plain,
            &[],
            [NA, NA, NA, 200, 200, 200],
        ),
    ]
}

async fn prepare(app: &TestApp, setup: Setup, n: usize, owner: &str, reporter: &str) -> i64 {
    let name = format!("target{n}");
    match setup {
        Setup::Plain => local(app, &name, Spec::default()).await,
        Setup::Pending => local(app, &name, Spec::pending()).await,
        Setup::Suspended => {
            let id = local(app, &name, Spec::default()).await;
            let res = account_post(app, owner, id, "action", &[("type", "suspend")]).await;
            assert_eq!(res.status, 200, "{}", res.text());
            id
        }
        Setup::Report => {
            let id = local(app, &name, Spec::default()).await;
            let res = app
                .post(
                    "/api/v1/reports",
                    Some(reporter),
                    &[("account_id", &id.to_string())],
                )
                .await;
            assert_eq!(res.status, 200, "{}", res.text());
            res.json()["id"]
                .as_str()
                .unwrap_or_default()
                .parse()
                .unwrap_or_default()
        }
    }
}

#[db_test]
async fn every_endpoint_by_every_caller(app: TestApp) {
    let s = staff(&app).await;
    let unscoped = app.user_with("unscoped", Some("Owner"), "read write").await;
    let reporter = app.user("reporter").await;
    let callers: [Option<&str>; 6] = [
        None,
        Some(&unscoped.token),
        Some(&s.user.token),
        Some(&s.moderator.token),
        Some(&s.admin.token),
        Some(&s.owner.token),
    ];
    let mut n = 0;
    for case in cases() {
        for (i, caller) in callers.iter().enumerate() {
            n += 1;
            let id = prepare(&app, case.setup, n, &s.owner.token, &reporter.token).await;
            let res = app
                .form(
                    case.method.clone(),
                    &path(case.path, id),
                    *caller,
                    case.params,
                )
                .await;
            assert_eq!(
                res.status.as_u16(),
                case.expect[i],
                "{} {} {:?} caller #{i}: {}",
                case.method,
                case.path,
                case.params,
                res.text()
            );
            if res.status == 403 {
                let expected = if i == 1 {
                    "This action is outside the authorized scopes"
                } else {
                    "This action is not allowed"
                };
                assert_eq!(res.error(), expected, "{} caller #{i}", case.path);
            }
        }
    }
}

#[db_test]
async fn equal_or_higher_roles_are_refused(app: TestApp) {
    let s = staff(&app).await;
    // (actor, target role id, expected)
    let table: [(&str, i64, u16); 7] = [
        (&s.moderator.token, 1, 403),
        (&s.moderator.token, 2, 403),
        (&s.admin.token, 2, 403),
        (&s.admin.token, 3, 403),
        (&s.owner.token, 3, 403),
        (&s.admin.token, 1, 200),
        (&s.owner.token, 2, 200),
    ];
    let mut n = 0;
    for (token, role, expected) in table {
        for kind in ["disable", "sensitive", "silence", "suspend"] {
            n += 1;
            let id = local(&app, &format!("staff{n}"), Spec::role(role)).await;
            let res = account_post(&app, token, id, "action", &[("type", kind)]).await;
            assert_eq!(
                res.status.as_u16(),
                expected,
                "{kind} on role {role}: {}",
                res.text()
            );
            if expected == 403 {
                assert_eq!(res.error(), "This action is not allowed");
            }
        }
        // `none` has no position check.
        let id = local(&app, &format!("staffnone{n}"), Spec::role(role)).await;
        let res = account_post(&app, token, id, "action", &[("type", "none")]).await;
        assert_eq!(res.status, 200);
    }
    // Nobody can act on themselves.
    let res = account_post(
        &app,
        &s.owner.token,
        &s.owner.account_id,
        "action",
        &[("type", "silence")],
    )
    .await;
    assert_eq!(res.status, 403);
}

#[db_test]
async fn local_only_endpoints_answer_forbidden_for_remote(app: TestApp) {
    let s = staff(&app).await;
    let remote = crate::admin::support::remote(&app, "far", "remote.example").await;
    for p in [
        "/api/v1/admin/accounts/:id/approve",
        "/api/v1/admin/accounts/:id/reject",
        "/api/v1/admin/accounts/:id/enable",
    ] {
        let res = app.post(&path(p, remote), Some(&s.owner.token), &[]).await;
        assert_eq!(res.status, 403, "{p}");
        assert_eq!(res.error(), "Forbidden");
        // The local check comes before the permission check.
        let res = app.post(&path(p, remote), None, &[]).await;
        assert_eq!(res.error(), "Forbidden");
    }
    let res = account_post(
        &app,
        &s.owner.token,
        remote,
        "action",
        &[("type", "disable")],
    )
    .await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), "This action is not allowed");
}

#[db_test]
async fn unknown_ids_are_404_before_permissions(app: TestApp) {
    let s = staff(&app).await;
    for (method, p) in [
        (Method::GET, "/api/v1/admin/accounts/123"),
        (Method::POST, "/api/v1/admin/accounts/123/approve"),
        (Method::POST, "/api/v1/admin/accounts/123/unsuspend"),
        (Method::POST, "/api/v1/admin/accounts/123/action"),
        (Method::DELETE, "/api/v1/admin/accounts/-1"),
        (Method::GET, "/api/v1/admin/reports/123"),
        (Method::POST, "/api/v1/admin/reports/123/resolve"),
    ] {
        for token in [None, Some(s.owner.token.as_str())] {
            let res = app.form(method.clone(), p, token, &[]).await;
            assert_eq!(res.status, 404, "{method} {p}");
            assert_eq!(res.error(), "Record not found");
        }
    }
}

#[db_test]
async fn reports_endpoint_needs_a_user_and_scope(app: TestApp) {
    let target = local(&app, "bad", Spec::default()).await;
    let res = app
        .post(
            "/api/v1/reports",
            None,
            &[("account_id", &target.to_string())],
        )
        .await;
    assert_eq!(res.status, 401);
    let read_only = app.user_with("ro", None, "read").await;
    let res = app
        .post(
            "/api/v1/reports",
            Some(&read_only.token),
            &[("account_id", &target.to_string())],
        )
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), "This action is outside the authorized scopes");
    let granular = app.user_with("gr", None, "write:reports").await;
    let res = app
        .post(
            "/api/v1/reports",
            Some(&granular.token),
            &[("account_id", &target.to_string())],
        )
        .await;
    assert_eq!(res.status, 200);
    let _ = ADMIN_SCOPES;
}

/// Marks `id` suspended (locally, with its deletion request) without the position check.
async fn force_suspend(app: &TestApp, id: i64) {
    let now = woolly::domain::time::now();
    app.sql_with(
        &format!(
            "UPDATE accounts SET suspended_at = {now}, suspension_origin = 'local' WHERE id = $1"
        ),
        &[id],
    )
    .await;
    app.sql_with(
        &format!(
            "INSERT INTO account_deletion_requests (id, account_id, created_at) \
             VALUES ({}, $1, {now})",
            app.state.next_id()
        ),
        &[id],
    )
    .await;
}

#[db_test]
async fn undo_and_delete_have_no_position_check(app: TestApp) {
    let s = staff(&app).await;
    // the Moderator (position 10) undoes on an Owner (1000): upstream checks no position here
    let mut n = 0;
    for p in ["enable", "unsilence", "unsensitive", "unsuspend"] {
        n += 1;
        let id = local(&app, &format!("owner{n}"), Spec::role(3)).await;
        force_suspend(&app, id).await;
        let res = app
            .post(
                &path(&format!("/api/v1/admin/accounts/:id/{p}"), id),
                Some(&s.moderator.token),
                &[],
            )
            .await;
        assert_eq!(res.status, 200, "{p}: {}", res.text());
    }
    // the Admin (delete_user_data, position 100) purges a suspended Owner
    let id = local(&app, "ownergone", Spec::role(3)).await;
    force_suspend(&app, id).await;
    let res = app
        .delete(
            &path("/api/v1/admin/accounts/:id", id),
            Some(&s.admin.token),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
}

#[db_test]
async fn custom_roles_get_exactly_their_permissions(app: TestApp) {
    let reports_only = woolly::services::operator::create_role(
        &app.state,
        "Reports",
        "manage_reports",
        5,
        "",
        false,
    )
    .await;
    let users_only =
        woolly::services::operator::create_role(&app.state, "Users", "manage_users", 5, "", false)
            .await;
    let deleter = woolly::services::operator::create_role(
        &app.state,
        "Deleter",
        "delete_user_data",
        5,
        "",
        false,
    )
    .await;
    assert!(reports_only.is_ok() && users_only.is_ok() && deleter.is_ok());
    let r = app
        .user_with("reportsmod", Some("Reports"), ADMIN_SCOPES)
        .await;
    let u = app.user_with("usersmod", Some("Users"), ADMIN_SCOPES).await;
    let d = app
        .user_with("deleter", Some("Deleter"), ADMIN_SCOPES)
        .await;
    let reporter = app.user("reporter").await;
    let mut n = 0;
    for kind in ["none", "disable", "sensitive", "silence", "suspend"] {
        n += 1;
        // manage_reports alone: the controller's manage_users check (upstream `show?`) refuses
        // every type; the type-level "manage_users or manage_reports" is never reached.
        let id = local(&app, &format!("t{n}"), Spec::default()).await;
        let res = account_post(&app, &r.token, id, "action", &[("type", kind)]).await;
        assert_eq!(res.status, 403, "reports-only {kind}");
        // manage_users alone: every type, as long as no report needs resolving
        let res = account_post(
            &app,
            &u.token,
            id,
            "action",
            &[("type", kind), ("send_email_notification", "0")],
        )
        .await;
        assert_eq!(res.status, 200, "users-only {kind}: {}", res.text());
    }
    // resolving an open report needs manage_reports: the whole action is refused and rolled back
    let id = local(&app, "reported", Spec::default()).await;
    assert_eq!(
        app.post(
            "/api/v1/reports",
            Some(&reporter.token),
            &[("account_id", &id.to_string())]
        )
        .await
        .status,
        200
    );
    let res = account_post(&app, &u.token, id, "action", &[("type", "silence")]).await;
    assert_eq!(res.status, 403);
    assert_eq!(app.scalar_with(SILENCED, &[id]).await, 0);
    // the reports role manages reports
    assert_eq!(
        app.get("/api/v1/admin/reports", Some(&r.token))
            .await
            .status,
        200
    );
    assert_eq!(
        app.get("/api/v1/admin/accounts", Some(&r.token))
            .await
            .status,
        403
    );
    // delete_user_data alone: DELETE of a suspended account, nothing else
    let id = local(&app, "doomed", Spec::default()).await;
    assert_eq!(
        app.delete(&path("/api/v1/admin/accounts/:id", id), Some(&d.token))
            .await
            .status,
        403,
        "not suspended"
    );
    force_suspend(&app, id).await;
    assert_eq!(
        app.delete(&path("/api/v1/admin/accounts/:id", id), Some(&d.token))
            .await
            .status,
        200
    );
    assert_eq!(
        app.get("/api/v1/admin/accounts", Some(&d.token))
            .await
            .status,
        403
    );
}

#[db_test]
async fn granular_scopes_revoked_tokens_and_staff_standing(app: TestApp) {
    let s = staff(&app).await;
    let id = local(&app, "target", Spec::default()).await;
    let read_accounts = app
        .user_with("ra", Some("Owner"), "admin:read:accounts")
        .await;
    let read_reports = app
        .user_with("rr", Some("Owner"), "admin:read:reports")
        .await;
    assert_eq!(
        app.get("/api/v1/admin/accounts", Some(&read_accounts.token))
            .await
            .status,
        200
    );
    for (method, p, params) in [
        (
            Method::POST,
            "/api/v1/admin/accounts/:id/action",
            &[("type", "none")][..],
        ),
        (
            Method::POST,
            "/api/v1/admin/accounts/:id/unsilence",
            &[][..],
        ),
        (Method::DELETE, "/api/v1/admin/accounts/:id", &[][..]),
    ] {
        let res = app
            .form(
                method.clone(),
                &path(p, id),
                Some(&read_accounts.token),
                params,
            )
            .await;
        assert_eq!(res.status, 403, "{method} {p}");
        assert_eq!(res.error(), "This action is outside the authorized scopes");
    }
    let res = app
        .get("/api/v1/admin/accounts", Some(&read_reports.token))
        .await;
    assert_eq!(res.error(), "This action is outside the authorized scopes");
    assert_eq!(
        app.get("/api/v1/admin/reports", Some(&read_reports.token))
            .await
            .status,
        200
    );
    // a revoked token is invalid, not anonymous
    let revoked = app.user_with("revoked", Some("Owner"), ADMIN_SCOPES).await;
    app.sql_with(
        "UPDATE oauth_access_tokens SET revoked_at = 1 WHERE resource_owner_id \
         IN (SELECT id FROM users WHERE account_id = $1)",
        &[revoked.account_id.parse().unwrap_or_default()],
    )
    .await;
    for p in [
        "/api/v1/admin/accounts",
        "/api/v1/admin/reports",
        "/api/v1/admin/action_logs",
    ] {
        let res = app.get(p, Some(&revoked.token)).await;
        assert_eq!(res.status, 401, "{p}");
        assert_eq!(res.error(), "The access token was revoked");
    }
    // admin endpoints do not require an active user (upstream has no require_user! there)
    app.sql_with(
        "UPDATE users SET disabled = TRUE WHERE account_id = $1",
        &[s.moderator.account_id.parse().unwrap_or_default()],
    )
    .await;
    app.sql_with(
        "UPDATE users SET confirmed_at = NULL WHERE account_id = $1",
        &[s.admin.account_id.parse().unwrap_or_default()],
    )
    .await;
    for token in [&s.moderator.token, &s.admin.token] {
        assert_eq!(
            app.get("/api/v1/admin/accounts", Some(token)).await.status,
            200
        );
        let res = account_post(&app, token, id, "action", &[("type", "none")]).await;
        assert_eq!(res.status, 200);
    }
}
