//! Runs the headless-Chromium tests of `e2e/browser` (`npm test`) against this build's
//! `woolly` binary, so `cargo test --workspace` covers the OAuth pages and the moderation
//! console in a real browser (with axe-core accessibility checks).
//! Reported as ignored, with the reason, when Chromium or the npm packages are not installed
//! (`.ci/run` installs both; under CI it always runs, see build.rs).

use std::path::Path;
use std::process::Command;

#[test]
#[cfg_attr(
    not(woolly_browser),
    ignore = "needs /usr/bin/chromium and `npm ci` in e2e/browser (.ci/run installs both)"
)]
fn web_pages_in_headless_chromium() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e/browser");
    let chromium = Path::new("/usr/bin/chromium");
    assert!(
        chromium.exists() && dir.join("node_modules/playwright-core").is_dir(),
        "browser test: needs {} and `npm ci` in {}",
        chromium.display(),
        dir.display()
    );
    let out = Command::new("npm")
        .arg("test")
        .current_dir(&dir)
        .env("WOOLLY_BIN", env!("CARGO_BIN_EXE_woolly"))
        .output()
        .unwrap_or_else(|e| panic!("running npm test: {e}"));
    assert!(
        out.status.success(),
        "npm test failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
