//! The client address behind reverse proxies (config `trusted_proxies`): per-IP limits key on
//! the forwarded address only when the TCP peer is a trusted proxy.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use std::net::SocketAddr;
use woolly_testkit::{TestApp, TestResponse, db_test};

/// `POST /api/v1/apps` (5 per 10 minutes per IP) from `peer`, forwarding `xff` if given.
async fn register_app(app: &TestApp, peer: [u8; 4], xff: Option<&str>) -> TestResponse {
    let body = serde_urlencoded::to_string([
        ("client_name", "proxied"),
        ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
    ])
    .unwrap_or_default();
    let mut builder =
        Request::post("/api/v1/apps").header("content-type", "application/x-www-form-urlencoded");
    if let Some(xff) = xff {
        builder = builder.header("x-forwarded-for", xff);
    }
    let mut request = builder
        .body(Body::from(body))
        .unwrap_or_else(|e| panic!("{e}"));
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((peer, 40000))));
    app.send(request).await
}

#[db_test(config = |cfg| { cfg.trusted_proxies = "10.0.0.0/8".into(); })]
async fn behind_a_trusted_proxy_limits_key_on_the_forwarded_address(app: TestApp) {
    let proxy = [10, 0, 0, 2];
    for _ in 0..5 {
        // A forged leftmost entry is ignored: the proxy appended the address it saw.
        let res = register_app(&app, proxy, Some("1.2.3.4, 203.0.113.5")).await;
        assert_eq!(res.status, 200, "{}", res.text());
    }
    assert_eq!(
        register_app(&app, proxy, Some("9.9.9.9, 203.0.113.5"))
            .await
            .status,
        429
    );
    // Another client through the same proxy has its own budget.
    assert_eq!(
        register_app(&app, proxy, Some("203.0.113.6")).await.status,
        200
    );
}

#[db_test(config = |cfg| { cfg.trusted_proxies = "10.0.0.0/8".into(); })]
async fn an_untrusted_peer_cannot_pick_its_address(app: TestApp) {
    let peer = [198, 51, 100, 7];
    for i in 0..5 {
        let res = register_app(&app, peer, Some(&format!("203.0.113.{i}"))).await;
        assert_eq!(res.status, 200, "{}", res.text());
    }
    // A fresh forged address does not buy a fresh budget: the key is the peer.
    assert_eq!(
        register_app(&app, peer, Some("203.0.113.99")).await.status,
        429
    );
}

#[db_test]
async fn by_default_only_a_loopback_proxy_is_trusted(app: TestApp) {
    for _ in 0..5 {
        assert_eq!(
            register_app(&app, [127, 0, 0, 1], Some("203.0.113.5"))
                .await
                .status,
            200
        );
    }
    assert_eq!(
        register_app(&app, [127, 0, 0, 1], Some("203.0.113.5"))
            .await
            .status,
        429
    );
    assert_eq!(
        register_app(&app, [127, 0, 0, 1], Some("203.0.113.6"))
            .await
            .status,
        200
    );
    // A private-range peer is not a proxy unless configured.
    for i in 0..5 {
        assert_eq!(
            register_app(&app, [192, 168, 1, 9], Some(&format!("203.0.114.{i}")))
                .await
                .status,
            200
        );
    }
    assert_eq!(
        register_app(&app, [192, 168, 1, 9], Some("203.0.114.77"))
            .await
            .status,
        429
    );
}
