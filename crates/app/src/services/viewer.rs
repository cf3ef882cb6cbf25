//! Who is asking: the access token of a request, its user, account and role.

use std::net::IpAddr;
use std::sync::Arc;

use crate::cache::ByGeneration;
use crate::cache::by_generation::Weight;
use crate::db::repo::accounts::AccountRecord;
use crate::db::repo::oauth::{self, TokenRow};
use crate::db::repo::users::UserRow;
use crate::db::repo::viewers::{self, ViewerRow};
use crate::db::repo::{activity, roles, users};
use crate::domain::permissions::{self, Standing};
use crate::domain::scopes::Scopes;
use crate::domain::{secrets, time};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A resolved, stored access token and what it stands for.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub token: TokenRow,
    pub scopes: Scopes,
    pub user: Option<UserRow>,
    pub account: Option<AccountRecord>,
    pub standing: Standing,
    /// The data generation taken before these rows were read (`Db::data_generation`): what
    /// is rendered from them may be cached for that generation only.
    pub read_at: Option<u64>,
}

impl Viewer {
    pub fn account_id(&self) -> Option<i64> {
        self.account.as_ref().map(|a| a.account.id)
    }

    /// The role position of the user, for `overrides?` checks.
    pub fn position(&self) -> i64 {
        self.standing.position
    }
}

/// Who each token digest stands for, per data generation (`state.viewers()`): a request
/// whose token was resolved since the last commit anywhere reads nothing from the database
/// to know its viewer. A revoked token, a changed role or account is a commit, so it is
/// seen on the next request (PostgreSQL: after the request's fence).
pub type ViewerCache = ByGeneration<String, Arc<Viewer>>;

/// What a viewer takes in memory, roughly: the three rows with their texts (an account's
/// note and fields are most of it).
const VIEWER_BYTES: u64 = 2048;

impl Weight for Arc<Viewer> {
    fn bytes(&self) -> u64 {
        VIEWER_BYTES
            + self.account.as_ref().map_or(0, |a| {
                (a.account.note.len() + a.account.fields.len()) as u64
            })
    }
}

/// What the token string of a request amounts to.
#[derive(Debug, Clone)]
pub enum TokenLookup {
    /// No token was sent.
    Absent,
    /// A token was sent but no stored token has it.
    Unknown,
    /// A stored token that has been revoked.
    Revoked,
    Found(Arc<Viewer>),
}

/// Tokens are touched (last used, known IPs) at most once a day, as upstream.
const TOUCH_INTERVAL_MS: i64 = 24 * 3600 * 1000;

pub async fn resolve(
    state: &AppState,
    token: Option<&str>,
    ip: Option<IpAddr>,
) -> ApiResult<TokenLookup> {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Ok(TokenLookup::Absent);
    };
    let db = state.db();
    let read_at = db.data_generation();
    let digest = secrets::digest(token);
    let now = time::now();
    if let Some(viewer) = state.viewers().get(digest.as_str(), read_at)
        && !touch_due(&viewer.token, now)
    {
        return Ok(TokenLookup::Found(viewer));
    }
    let Some(found) = viewers::find_inline(db, &digest).await? else {
        return Ok(TokenLookup::Unknown);
    };
    let ViewerRow {
        token: row,
        user,
        account,
    } = found;
    if row.revoked_at.is_some() {
        return Ok(TokenLookup::Revoked);
    }
    let standing = match (&user, &account) {
        (Some(_), Some(record)) => standing_of_record(record),
        (Some(u), None) => standing_of(&mut db.conn().await?.exec(), u.role_id).await?,
        _ => Standing::NOBODY,
    };
    let touched = touch_due(&row, now);
    if touched {
        let mut conn = db.conn().await?;
        let mut ex = conn.exec();
        let ip_text = ip.map(crate::domain::ip::display);
        oauth::touch_token(&mut ex, row.id, ip_text.as_deref(), now).await?;
        if let (Some(u), Some(ip)) = (&user, ip) {
            users::touch_ip(&mut ex, u.id, ip, now).await?;
        }
        if let Some(u) = &user {
            activity::record_login(&mut ex, time::week_start(now), u.id).await?;
        }
    }
    let scopes = Scopes::parse(&row.scopes);
    let viewer = Arc::new(Viewer {
        token: row,
        scopes,
        user,
        account,
        read_at,
        standing,
    });
    // A touch is a commit: what was read before it is outdated already.
    if !touched {
        state.viewers().keep(digest, read_at, viewer.clone());
    }
    Ok(TokenLookup::Found(viewer))
}

/// The token was not used (as far as stored) within [`TOUCH_INTERVAL_MS`].
fn touch_due(token: &TokenRow, now: i64) -> bool {
    token
        .last_used_at
        .is_none_or(|t| now - t > TOUCH_INTERVAL_MS)
}

/// A user's role standing: computed permissions and position (everyone role when unset).
pub async fn standing_of(
    ex: &mut crate::db::Exec<'_>,
    role_id: Option<i64>,
) -> ApiResult<Standing> {
    let everyone = roles::everyone_permissions(ex).await?;
    let role = match role_id {
        Some(id) => roles::find(ex, id).await?,
        None => None,
    };
    Ok(match role {
        Some(r) => Standing {
            permissions: permissions::computed(r.permissions, everyone),
            position: r.position,
        },
        None => Standing {
            permissions: permissions::computed(0, everyone),
            position: -1,
        },
    })
}

/// A user's standing from the role columns an [`AccountRecord`] carries.
pub fn standing_of_record(record: &AccountRecord) -> Standing {
    let everyone = record.everyone_permissions.unwrap_or(0);
    match (record.role_permissions, record.role_position) {
        (Some(bits), Some(position)) => Standing {
            permissions: permissions::computed(bits, everyone),
            position,
        },
        _ => Standing {
            permissions: permissions::computed(0, everyone),
            position: -1,
        },
    }
}

/// Upstream's global check: a signed-in user whose account is suspended or being deleted.
pub fn check_login_enabled(viewer: &Viewer) -> ApiResult<()> {
    if let Some(a) = &viewer.account
        && (a.account.suspended_at.is_some()
            || a.account.deleted_at.is_some()
            || a.deletion_requested.is_some())
    {
        return Err(ApiError::Forbidden(
            "Your login is currently disabled".into(),
        ));
    }
    Ok(())
}

/// Upstream's `require_user!`, in its order.
pub fn require_user(viewer: &Viewer) -> ApiResult<(&UserRow, &AccountRecord)> {
    let (Some(user), Some(account)) = (&viewer.user, &viewer.account) else {
        return Err(ApiError::Unprocessable(
            "This method requires an authenticated user".into(),
        ));
    };
    if user.confirmed_at.is_none() {
        return Err(ApiError::Forbidden(
            "Your login is missing a confirmed e-mail address".into(),
        ));
    }
    if !user.approved {
        return Err(ApiError::Forbidden(
            "Your login is currently pending approval".into(),
        ));
    }
    let a = &account.account;
    if user.disabled || a.suspended_at.is_some() || a.memorial || a.moved_to_account_id.is_some() {
        return Err(ApiError::Forbidden(
            "Your login is currently disabled".into(),
        ));
    }
    Ok((user, account))
}
