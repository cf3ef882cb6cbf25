//! The two migration folders must stay in step: same file names, same tables.

use std::collections::BTreeSet;
use std::path::Path;

fn names(dir: &str) -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(dir);
    std::fs::read_dir(root)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn tables(dir: &str, file: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(dir)
        .join(file);
    let text = std::fs::read_to_string(root).unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("CREATE TABLE ")
                .or_else(|| l.trim().strip_prefix("CREATE INDEX "))
                .or_else(|| l.trim().strip_prefix("CREATE UNIQUE INDEX "))
        })
        .map(|rest| {
            rest.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[test]
fn sqlite_and_postgres_migrations_stay_in_step() {
    let sqlite = names("migrations/sqlite");
    let postgres = names("migrations/postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres, "migration files differ between backends");
    for file in &sqlite {
        assert_eq!(
            tables("migrations/sqlite", file),
            tables("migrations/postgres", file),
            "{file}: tables/indexes differ"
        );
    }
}
