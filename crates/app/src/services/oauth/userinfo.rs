//! `GET|POST /oauth/userinfo`: OpenID-style claims of the token's user.

use crate::api_types::oauth::UserInfo;
use crate::db::repo::accounts::AccountRecord;
use crate::error::ApiResult;
use crate::services::present;
use crate::state::AppState;

pub async fn userinfo(state: &AppState, record: &AccountRecord) -> ApiResult<UserInfo> {
    let base = state.base_url();
    let mut conn = state.db().conn().await?;
    let account = present::render_account(&mut conn.exec(), &base, record).await?;
    Ok(UserInfo {
        iss: format!("{base}/"),
        sub: record.account.uri.clone(),
        name: account.display_name,
        preferred_username: account.username,
        profile: account.url,
        picture: account.avatar,
    })
}
