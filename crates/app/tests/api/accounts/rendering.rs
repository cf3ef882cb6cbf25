//! Accounts rendered in a batch (`services::present::render_account_refs`): each account gets
//! the custom emojis of its own domain and its moved-to account, however many share a page.

use woolly_testkit::{TestApp, db_test};

async fn emoji(app: &TestApp, code: &str, domain: Option<&str>) {
    let domain = domain.map_or("NULL".to_owned(), |d| format!("'{d}'"));
    let key = format!("emoji/{}-{code}.png", domain.trim_matches('\''));
    app.sql(&format!(
        "INSERT INTO custom_emojis (id, shortcode, domain, image_key, disabled, created_at) \
         VALUES ({}, '{code}', {domain}, '{key}', FALSE, 0)",
        app.state.next_id()
    ))
    .await;
}

fn shortcodes_and_urls(account: &serde_json::Value) -> Vec<(String, String)> {
    account["emojis"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|e| {
                    let url = e["url"].as_str().unwrap_or_default();
                    let file = url.rsplit('/').next().unwrap_or_default();
                    (
                        e["shortcode"].as_str().unwrap_or_default().to_owned(),
                        file.to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[db_test]
async fn a_page_of_accounts_gets_each_domains_emojis_and_moved_accounts(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let carol = app.user("carol").await;
    emoji(&app, "blob", None).await;
    emoji(&app, "blob", Some("remote.example")).await;
    emoji(&app, "only", Some("remote.example")).await;
    app.sql(&format!(
        "UPDATE accounts SET display_name = ':blob: Alice' WHERE id = {}",
        alice.account_id
    ))
    .await;
    app.sql(&format!(
        "UPDATE accounts SET domain = 'remote.example', display_name = ':only: :blob: Bob' \
             WHERE id = {}",
        bob.account_id
    ))
    .await;
    app.sql(&format!(
        "UPDATE accounts SET note = ':only:', moved_to_account_id = {} WHERE id = {}",
        bob.account_id, carol.account_id
    ))
    .await;
    let path = format!(
        "/api/v1/accounts?id[]={}&id[]={}&id[]={}",
        alice.account_id, bob.account_id, carol.account_id
    );
    let res = app.get(&path, None).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let page = res.json();
    let by_id = |id: &str| {
        page.as_array()
            .and_then(|l| l.iter().find(|a| a["id"] == id).cloned())
            .unwrap_or_default()
    };
    let (a, b, c) = (
        by_id(&alice.account_id),
        by_id(&bob.account_id),
        by_id(&carol.account_id),
    );
    let local = |code: &str| (code.to_owned(), format!("NULL-{code}.png"));
    let remote = |code: &str| (code.to_owned(), format!("remote.example-{code}.png"));
    assert_eq!(shortcodes_and_urls(&a), vec![local("blob")], "{a}");
    assert_eq!(
        shortcodes_and_urls(&b),
        vec![remote("blob"), remote("only")],
        "by shortcode, of the account's own domain: {b}"
    );
    assert_eq!(
        shortcodes_and_urls(&c),
        Vec::<(String, String)>::new(),
        "no local :only: exists: {c}"
    );
    assert_eq!(c["moved"]["id"], bob.account_id.as_str());
    assert_eq!(
        shortcodes_and_urls(&c["moved"]),
        vec![remote("blob"), remote("only")]
    );
    assert!(a.get("moved").is_none());
}
