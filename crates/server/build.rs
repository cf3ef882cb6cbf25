//! `cfg(woolly_browser)` when the tools of `tests/browser.rs` are installed (Debian's
//! Chromium and `npm ci` in `e2e/browser`), so without them that test is reported as ignored
//! with the reason instead of passing without running. Under CI (`CI` set) the cfg is always
//! on: there a missing tool must fail the test.

use std::path::Path;

const CHROMIUM: &str = "/usr/bin/chromium";

fn main() {
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rustc-check-cfg=cfg(woolly_browser)");
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e/browser");
    let playwright = browser_dir.join("node_modules/playwright-core");
    // Watch each tool, or the folder it would appear in, so installing one re-runs this.
    let chromium = Path::new(CHROMIUM);
    watch(chromium, Path::new("/usr/bin"));
    watch(&playwright, &browser_dir);
    let installed = chromium.exists() && playwright.is_dir();
    if installed || std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=woolly_browser");
    }
}

fn watch(path: &Path, parent: &Path) {
    let watched = if path.exists() { path } else { parent };
    println!("cargo::rerun-if-changed={}", watched.display());
}
