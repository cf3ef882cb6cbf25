//! `GET /api/v1/custom_emojis`: the local emojis shown in pickers (enabled and
//! `visible_in_picker`, as upstream's `CustomEmoji.listed`), what Account `emojis` can
//! reference.

use crate::api_types::CustomEmoji;
use crate::db::repo::accounts;
use crate::error::ApiResult;
use crate::services::present::Presenter;
use crate::state::AppState;

pub async fn listed(state: &AppState) -> ApiResult<Vec<CustomEmoji>> {
    let mut conn = state.db().conn().await?;
    let rows = accounts::listed_local_emojis(&mut conn.exec()).await?;
    let base = state.base_url();
    let p = Presenter { base_url: &base };
    Ok(rows.iter().map(|e| p.emoji(e)).collect())
}
