//! The only place paths are spelled.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use tower_http::normalize_path::NormalizePath;
use tower_http::trace::TraceLayer;

use super::handlers::{api, assets};
use super::middleware::api::api_layer;
use super::middleware::{cors, db_fence};
use crate::error::ApiError;
use crate::state::AppState;

/// Uploads (avatars, headers, media) are the largest bodies we take.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

fn api_routes() -> Router<AppState> {
    Router::new()
        .merge(admin_routes())
        .merge(graph_routes())
        .merge(statuses_routes())
        .merge(client_routes())
        // accounts
        .route(
            "/api/v1/accounts/verify_credentials",
            get(api::v1::accounts::credentials::verify_credentials),
        )
        .route("/api/v1/accounts/{id}", get(api::v1::accounts::show::show))
        // instance
        .route("/api/v1/instance", get(api::v1::instance::show))
        .route("/api/v2/instance", get(api::v2::instance::show))
        .merge(instance_routes())
        .route("/api/v2/search", get(api::v2::search::index))
        // oauth
        .route("/api/v1/apps", post(api::v1::apps::create))
        .route(
            "/api/v1/apps/verify_credentials",
            get(api::v1::apps::verify_credentials),
        )
        .route(
            "/oauth/userinfo",
            get(super::handlers::oauth::userinfo::show)
                .post(super::handlers::oauth::userinfo::show),
        )
}

// the instance's sub-resources
fn instance_routes() -> Router<AppState> {
    use super::handlers::api::v1::instance as i;
    Router::new()
        .route("/api/v1/instance/rules", get(i::rules))
        .route(
            "/api/v1/instance/extended_description",
            get(i::extended_description),
        )
        .route("/api/v1/instance/privacy_policy", get(i::privacy_policy))
        .route(
            "/api/v1/instance/terms_of_service",
            get(i::terms_of_service),
        )
        .route("/api/v1/instance/languages", get(i::languages))
        .route(
            "/api/v1/instance/translation_languages",
            get(i::translation_languages),
        )
        .route("/api/v1/instance/peers", get(i::peers))
        .route("/api/v1/instance/activity", get(i::activity))
        .route("/api/v1/instance/domain_blocks", get(i::domain_blocks))
        .route(
            "/api/v1/custom_emojis",
            get(super::handlers::api::v1::preferences::custom_emojis),
        )
        .route(
            "/api/v1/preferences",
            get(super::handlers::api::v1::preferences::show),
        )
}

// registration and profile
fn profile_api_routes() -> Router<AppState> {
    use axum::routing::{delete, patch};
    Router::new()
        .route(
            "/api/v1/accounts",
            post(api::v1::accounts::register::register),
        )
        .route(
            "/api/v1/accounts/update_credentials",
            patch(api::v1::accounts::update_credentials::update_credentials)
                .put(api::v1::accounts::update_credentials::update_credentials),
        )
        .route(
            "/api/v1/profile/avatar",
            delete(api::v1::profile::delete_avatar),
        )
        .route(
            "/api/v1/profile/header",
            delete(api::v1::profile::delete_header),
        )
        .route(
            "/api/v1/emails/confirmations",
            post(api::v1::emails::resend_confirmation),
        )
        .route(
            "/api/v1/emails/check_confirmation",
            get(api::v1::emails::check_confirmation),
        )
}

// registration and profile: pages and stored files
fn profile_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/auth/confirmation",
            get(super::handlers::auth::confirmation::confirm),
        )
        .route("/system/{*key}", get(super::handlers::media_files::show))
}

// oauth
fn oauth_routes() -> Router<AppState> {
    use super::handlers::oauth;
    Router::new()
        .route(
            "/oauth/authorize",
            get(oauth::authorize::show)
                .post(oauth::authorize::approve)
                .delete(oauth::authorize::deny),
        )
        .route("/oauth/authorize/deny", post(oauth::authorize::deny))
        .route("/oauth/authorize/native", get(oauth::authorize::native))
        .route("/oauth/sign_in", post(oauth::sign_in::create))
}

// oauth and discovery that browser clients on other origins call (CORS, as upstream)
fn cross_origin_oauth_routes() -> Router<AppState> {
    use super::handlers::{oauth, well_known};
    let token = Router::new()
        .route("/oauth/token", post(oauth::token::create))
        .route("/oauth/revoke", post(oauth::revoke::create))
        .layer(cors::oauth_post());
    let discovery = Router::new()
        .route(
            "/.well-known/oauth-authorization-server",
            get(well_known::oauth_authorization_server::show),
        )
        .layer(cors::well_known());
    token.merge(discovery)
}

pub fn router(state: AppState) -> Router {
    let api = api_routes()
        .merge(profile_api_routes())
        .fallback(|| async { ApiError::NotFound })
        .layer(from_fn_with_state(state.clone(), api_layer))
        // Outside the API layer: the viewer it reads is read after the fence.
        .layer(from_fn_with_state(state.clone(), db_fence::fence))
        .layer(cors::api());
    let routes = Router::new()
        .merge(api)
        .route("/health", get(super::handlers::health::show))
        .route("/avatars/original/missing.png", get(assets::missing_png))
        .route("/headers/original/missing.png", get(assets::missing_png))
        .merge(oauth_routes())
        .merge(cross_origin_oauth_routes())
        .merge(profile_routes())
        .merge(streaming_routes())
        .merge(console_routes())
        .merge(federation_routes())
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
        .layer(from_fn_with_state(
            state.clone(),
            crate::ops::metrics_http::record,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state);
    // Rails routes ignore one trailing slash and clients rely on it (Mastodon.py asks for
    // `/api/v1/instance/`): the path is trimmed before any route is matched.
    Router::new().fallback_service(NormalizePath::trim_trailing_slash(routes))
}

// the moderation console: web pages outside the API layer (cookie sessions, not tokens)
fn console_routes() -> Router<AppState> {
    use super::handlers::admin_web::{
        account_actions as act, accounts, audit, notes, reports, session,
    };
    Router::new()
        .route("/admin", get(session::home))
        .route("/admin/console.css", get(session::stylesheet))
        .route("/admin/sign_out", post(session::sign_out))
        .route("/admin/accounts", get(accounts::index))
        .route("/admin/accounts/{id}", get(accounts::show))
        .route("/admin/accounts/{id}/approve", post(act::approve))
        .route("/admin/accounts/{id}/enable", post(act::enable))
        .route("/admin/accounts/{id}/unsilence", post(act::unsilence))
        .route("/admin/accounts/{id}/unsensitive", post(act::unsensitive))
        .route("/admin/accounts/{id}/unsuspend", post(act::unsuspend))
        .route(
            "/admin/accounts/{id}/reject",
            get(act::confirm_reject).post(act::reject),
        )
        .route(
            "/admin/accounts/{id}/delete",
            get(act::confirm_delete).post(act::delete),
        )
        .route(
            "/admin/accounts/{id}/action",
            get(act::form).post(act::perform),
        )
        .route("/admin/accounts/{id}/notes", post(notes::create))
        .route("/admin/notes/{id}/delete", post(notes::delete))
        .route("/admin/reports", get(reports::index))
        .route("/admin/reports/{id}", get(reports::show))
        .route(
            "/admin/reports/{id}/assign_to_self",
            post(reports::assign_to_self),
        )
        .route("/admin/reports/{id}/unassign", post(reports::unassign))
        .route("/admin/reports/{id}/resolve", post(reports::resolve))
        .route("/admin/reports/{id}/reopen", post(reports::reopen))
        .route("/admin/action_logs", get(audit::index))
        .route("/admin/strikes/{id}/overrule", post(audit::overrule))
}

// federation: discovery (CORS as upstream), actors, collections, inboxes
fn federation_routes() -> Router<AppState> {
    use super::handlers::activitypub::{actor, collections, inbox};
    use super::handlers::well_known::{host_meta, nodeinfo, webfinger};
    let discovery = Router::new()
        .route("/.well-known/webfinger", get(webfinger::show))
        .route("/.well-known/host-meta", get(host_meta::show))
        .route("/.well-known/nodeinfo", get(nodeinfo::discovery))
        .route("/nodeinfo/2.0", get(nodeinfo::show))
        .layer(cors::well_known());
    let inboxes = Router::new()
        .route("/inbox", post(inbox::shared))
        .route("/users/{username}/inbox", post(inbox::personal))
        .layer(DefaultBodyLimit::max(inbox::MAX_INBOX_BYTES));
    Router::new()
        .merge(discovery)
        .merge(inboxes)
        .route("/actor", get(actor::instance))
        .route("/users/{username}", get(actor::show))
        .route("/users/{username}/followers", get(collections::followers))
        .route("/users/{username}/following", get(collections::following))
        .route("/users/{username}/outbox", get(collections::outbox))
        .route("/users/{username}/statuses/{id}", get(collections::status))
        .route(
            "/users/{username}/collections/featured",
            get(collections::featured),
        )
}

// streaming: outside the API layer, as upstream's separate server (no throttles)
fn streaming_routes() -> Router<AppState> {
    use super::handlers::api::v1::streaming::{health, serve};
    Router::new()
        .route("/api/v1/streaming", get(serve))
        .route("/api/v1/streaming/health", get(health))
        .route("/api/v1/streaming/{*stream}", get(serve))
        // Browser clients stream from their own origin too (upstream's streaming server
        // answers any origin).
        .layer(cors::api())
}

// admin
fn admin_routes() -> Router<AppState> {
    use super::handlers::api::v1::admin::{
        account_warnings, accounts, action_logs, domain_blocks, reports,
    };
    Router::new()
        .route("/api/v1/admin/accounts", get(accounts::index))
        .route(
            "/api/v2/admin/accounts",
            get(api::v2::admin::accounts::index),
        )
        .route(
            "/api/v1/admin/accounts/{id}",
            get(accounts::show).delete(accounts::destroy),
        )
        .route(
            "/api/v1/admin/accounts/{id}/approve",
            post(accounts::approve),
        )
        .route("/api/v1/admin/accounts/{id}/reject", post(accounts::reject))
        .route("/api/v1/admin/accounts/{id}/action", post(accounts::action))
        .route("/api/v1/admin/accounts/{id}/enable", post(accounts::enable))
        .route(
            "/api/v1/admin/accounts/{id}/unsilence",
            post(accounts::unsilence),
        )
        .route(
            "/api/v1/admin/accounts/{id}/unsensitive",
            post(accounts::unsensitive),
        )
        .route(
            "/api/v1/admin/accounts/{id}/unsuspend",
            post(accounts::unsuspend),
        )
        .route("/api/v1/admin/reports", get(reports::index))
        .route("/api/v1/admin/reports/{id}", get(reports::show))
        .route(
            "/api/v1/admin/reports/{id}/assign_to_self",
            post(reports::assign_to_self),
        )
        .route(
            "/api/v1/admin/reports/{id}/unassign",
            post(reports::unassign),
        )
        .route("/api/v1/admin/reports/{id}/resolve", post(reports::resolve))
        .route("/api/v1/admin/reports/{id}/reopen", post(reports::reopen))
        .route("/api/v1/admin/action_logs", get(action_logs::index))
        .route(
            "/api/v1/admin/domain_blocks",
            get(domain_blocks::index).post(domain_blocks::create),
        )
        .route(
            "/api/v1/admin/domain_blocks/{id}",
            get(domain_blocks::show)
                .put(domain_blocks::update)
                .delete(domain_blocks::destroy),
        )
        .route(
            "/api/v1/admin/domain_allows",
            get(domain_blocks::allows_index).post(domain_blocks::allows_create),
        )
        .route(
            "/api/v1/admin/domain_allows/{id}",
            get(domain_blocks::allows_show).delete(domain_blocks::allows_destroy),
        )
        .route(
            "/api/v1/admin/account_warnings",
            get(account_warnings::index),
        )
        .route(
            "/api/v1/admin/account_warnings/{id}/overrule",
            post(account_warnings::overrule),
        )
        .route("/api/v1/reports", post(api::v1::reports::create))
}

// social graph
fn graph_routes() -> Router<AppState> {
    use super::handlers::api::v1::{
        accounts as a, blocks, endorsements, featured_tags, follow_requests, lists, mutes,
        notifications,
    };
    Router::new()
        // static segments: axum prefers them over `/api/v1/accounts/{id}`
        .route("/api/v1/accounts", get(a::index::index))
        .route(
            "/api/v1/accounts/relationships",
            get(a::relationships::relationships),
        )
        .route(
            "/api/v1/accounts/familiar_followers",
            get(a::familiar_followers::familiar_followers),
        )
        .route("/api/v1/accounts/lookup", get(a::lookup::lookup))
        .route("/api/v1/accounts/alias", post(a::migration::alias))
        .route("/api/v1/accounts/move", post(a::migration::move_account))
        .route("/api/v1/accounts/search", get(a::search::search))
        .route(
            "/api/v1/accounts/{id}/endorsements",
            get(a::endorsements::endorsements),
        )
        .route("/api/v1/endorsements", get(endorsements::index))
        .route("/api/v1/accounts/{id}/follow", post(a::follow::follow))
        .route(
            "/api/v1/accounts/{id}/unfollow",
            post(a::unfollow::unfollow),
        )
        .route(
            "/api/v1/accounts/{id}/remove_from_followers",
            post(a::remove_from_followers::remove_from_followers),
        )
        .route("/api/v1/accounts/{id}/block", post(a::block::block))
        .route("/api/v1/accounts/{id}/unblock", post(a::unblock::unblock))
        .route("/api/v1/accounts/{id}/mute", post(a::mute::mute))
        .route("/api/v1/accounts/{id}/unmute", post(a::unmute::unmute))
        .route("/api/v1/accounts/{id}/note", post(a::note::note))
        .route("/api/v1/accounts/{id}/endorse", post(a::endorse::endorse))
        .route("/api/v1/accounts/{id}/pin", post(a::endorse::endorse))
        .route(
            "/api/v1/accounts/{id}/unendorse",
            post(a::endorse::unendorse),
        )
        .route("/api/v1/accounts/{id}/unpin", post(a::endorse::unendorse))
        .route(
            "/api/v1/accounts/{id}/followers",
            get(a::followers::followers),
        )
        .route(
            "/api/v1/accounts/{id}/following",
            get(a::following::following),
        )
        .route("/api/v1/follow_requests", get(follow_requests::index))
        .route(
            "/api/v1/follow_requests/{id}/authorize",
            post(follow_requests::authorize),
        )
        .route(
            "/api/v1/follow_requests/{id}/reject",
            post(follow_requests::reject),
        )
        .route("/api/v1/blocks", get(blocks::index))
        .route("/api/v1/mutes", get(mutes::index))
        .route("/api/v1/accounts/{id}/lists", get(a::lists::lists))
        .route(
            "/api/v1/accounts/{id}/featured_tags",
            get(a::featured_tags::featured_tags),
        )
        .route(
            "/api/v1/accounts/{id}/identity_proofs",
            get(a::identity_proofs::identity_proofs),
        )
        .route("/api/v1/notifications", get(notifications::index))
        .route("/api/v1/notifications/clear", post(notifications::clear))
        .route("/api/v1/notifications/{id}", get(notifications::show))
        .route(
            "/api/v1/notifications/{id}/dismiss",
            post(notifications::dismiss),
        )
        .route("/api/v1/lists", get(lists::index).post(lists::create))
        .route(
            "/api/v1/lists/{id}",
            get(lists::show).put(lists::update).delete(lists::destroy),
        )
        .route(
            "/api/v1/lists/{id}/accounts",
            get(lists::accounts)
                .post(lists::add_accounts)
                .delete(lists::remove_accounts),
        )
        .route(
            "/api/v1/featured_tags",
            get(featured_tags::index).post(featured_tags::create),
        )
        .route(
            "/api/v1/featured_tags/suggestions",
            get(featured_tags::suggestions),
        )
        .route(
            "/api/v1/featured_tags/{id}",
            axum::routing::delete(featured_tags::destroy),
        )
}

// statuses
fn statuses_routes() -> Router<AppState> {
    use super::handlers::api::v1::{accounts as a, media, statuses};
    Router::new()
        .route("/api/v1/accounts/{id}/statuses", get(a::statuses::statuses))
        .route("/api/v1/statuses", post(statuses::create))
        .route(
            "/api/v1/statuses/{id}",
            get(statuses::show).delete(statuses::destroy),
        )
        .route(
            "/api/v1/statuses/{id}/reblog",
            post(statuses::reblog::reblog),
        )
        .route(
            "/api/v1/statuses/{id}/unreblog",
            post(statuses::reblog::unreblog),
        )
        .route("/api/v1/statuses/{id}/pin", post(statuses::pin::pin))
        .route("/api/v1/statuses/{id}/unpin", post(statuses::pin::unpin))
        .route("/api/v1/media", post(media::create))
        .route("/api/v1/media/{id}", get(media::show).put(media::update))
        .route("/api/v2/media", post(api::v2::media::create))
}

// a user's client state: domain blocks, markers, directory, suggestions
fn client_routes() -> Router<AppState> {
    use super::handlers::api::v1::{directory, domain_blocks, markers, suggestions};
    Router::new()
        .route(
            "/api/v1/domain_blocks",
            get(domain_blocks::index)
                .post(domain_blocks::create)
                .delete(domain_blocks::destroy),
        )
        .route("/api/v1/markers", get(markers::index).post(markers::create))
        .route("/api/v1/directory", get(directory::show))
        .route("/api/v1/suggestions", get(suggestions::index))
        .route(
            "/api/v1/suggestions/{id}",
            axum::routing::delete(suggestions::destroy),
        )
        .route("/api/v2/suggestions", get(api::v2::suggestions::index))
}
