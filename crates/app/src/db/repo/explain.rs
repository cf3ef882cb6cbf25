//! Query plans of the statements the API really runs, for the operator and the benchmark
//! report: SQLite's `EXPLAIN QUERY PLAN` tree, or PostgreSQL's `EXPLAIN (ANALYZE, BUFFERS)`.

use std::collections::HashMap;

use crate::db::Exec;
use crate::db::query::Arg;
use crate::db::query::run::bind_args;

/// The plan of `sql` with `args` bound, one line per plan node (indented by depth).
pub async fn plan(ex: &mut Exec<'_>, sql: &str, args: &[Arg]) -> Result<Vec<String>, sqlx::Error> {
    match ex {
        Exec::Sqlite(c) => {
            let text = format!("EXPLAIN QUERY PLAN {sql}");
            let q =
                sqlx::query_as::<_, (i64, i64, i64, String)>(sqlx::AssertSqlSafe(text.as_str()));
            let rows = bind_args!(q, args).fetch_all(&mut **c).await?;
            Ok(sqlite_tree(&rows))
        }
        Exec::Pg(c) => {
            let text = format!("EXPLAIN (ANALYZE, BUFFERS) {sql}");
            let q = sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(text.as_str()));
            let rows = bind_args!(q, args).fetch_all(&mut **c).await?;
            Ok(rows.into_iter().map(|r| r.0).collect())
        }
    }
}

/// SQLite reports `(id, parent, _, detail)` rows; print them as an indented tree.
fn sqlite_tree(rows: &[(i64, i64, i64, String)]) -> Vec<String> {
    let mut depth: HashMap<i64, usize> = HashMap::new();
    rows.iter()
        .map(|(id, parent, _, detail)| {
            let d = depth.get(parent).map_or(0, |p| p + 1);
            depth.insert(*id, d);
            format!("{}{detail}", "  ".repeat(d))
        })
        .collect()
}

/// Whether a SQLite plan reads a whole table: a `SCAN` without an index, of a table other
/// than the small ones named in `small`.
pub fn sqlite_full_scans<'a>(lines: &'a [String], small: &[&str]) -> Vec<&'a str> {
    lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| l.starts_with("SCAN ") && !l.contains(" USING "))
        .filter(|l| {
            let table = l
                .trim_start_matches("SCAN ")
                .split_whitespace()
                .next()
                .unwrap_or("");
            !small.contains(&table)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_and_scans() {
        let rows = vec![
            (2, 0, 0, "SCAN a".to_owned()),
            (5, 2, 0, "SEARCH u USING INDEX x (account_id=?)".to_owned()),
            (9, 0, 0, "SCAN r USING INDEX y".to_owned()),
        ];
        let lines = sqlite_tree(&rows);
        assert_eq!(lines[1], "  SEARCH u USING INDEX x (account_id=?)");
        assert_eq!(sqlite_full_scans(&lines, &[]), vec!["SCAN a"]);
        assert!(sqlite_full_scans(&lines, &["a"]).is_empty());
    }
}
