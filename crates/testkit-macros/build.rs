//! `cfg(woolly_pg)` when `TEST_DATABASE_URL` is set, so `#[db_test]` can mark the PostgreSQL
//! half of each test ignored (with the reason) instead of letting it pass without running.
//! The cfg lives here, not in the crates whose tests use the attribute, so setting or unsetting
//! the variable rebuilds this crate and the tests, never the `woolly` library.
//! `#[needs_env]` reads the other services' variables with `option_env!`; they are listed
//! here so that setting or unsetting one rebuilds this crate too.

fn main() {
    println!("cargo::rerun-if-env-changed=TEST_DATABASE_URL");
    println!("cargo::rerun-if-env-changed=TEST_REDIS_URL");
    println!("cargo::rerun-if-env-changed=TEST_S3_ENDPOINT");
    println!("cargo::rustc-check-cfg=cfg(woolly_pg)");
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=woolly_pg");
    }
}
