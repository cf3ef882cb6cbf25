use woolly_testkit::db_test;

db_test!(async fn v1_and_v2_report_real_values(app) {
    app.user("alice").await;
    let v2 = app.get("/api/v2/instance", None).await;
    assert_eq!(v2.status, 200);
    let body = v2.json();
    assert_eq!(body["domain"], "woolly.test");
    assert!(body["version"].as_str().unwrap_or_default().starts_with("4."));
    assert_eq!(body["registrations"]["enabled"], true);
    assert_eq!(body["configuration"]["accounts"]["max_profile_fields"], 4);
    let v1 = app.get("/api/v1/instance", None).await.json();
    assert_eq!(v1["uri"], "woolly.test");
    assert_eq!(v1["stats"]["user_count"], 1);
});

db_test!(async fn stats_are_kept_and_refreshed_in_the_background(app) {
    app.user("alice").await;
    let count = || async { app.get("/api/v1/instance", None).await.json()["stats"]["user_count"].clone() };
    assert_eq!(count().await, 1);
    // a new user shows once the kept counts are refreshed, not on every request
    app.user("bob").await;
    assert_eq!(count().await, 1);
    woolly::services::instance_stats::refresh(app.state.clone()).await;
    assert_eq!(count().await, 2);
    assert_eq!(app.get("/api/v2/instance", None).await.status, 200);
});
