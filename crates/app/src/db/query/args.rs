//! Bound values and their placeholders.

use std::ops::Deref;

/// A value bound to a statement built at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Int(i64),
    Text(String),
    Bool(bool),
    /// A NULL of integer type (PostgreSQL types every parameter).
    NullInt,
    /// A NULL of text type.
    NullText,
    /// A NULL of boolean type.
    NullBool,
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Self::Int(v)
    }
}

impl From<&i64> for Arg {
    fn from(v: &i64) -> Self {
        Self::Int(*v)
    }
}

impl From<bool> for Arg {
    fn from(v: bool) -> Self {
        Self::Bool(v)
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Self {
        Self::Text(v)
    }
}

impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Self::Text(v.clone())
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Self::Text(v.to_owned())
    }
}

impl From<&&str> for Arg {
    fn from(v: &&str) -> Self {
        Self::Text((*v).to_owned())
    }
}

impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Self::NullInt, Self::Int)
    }
}

impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        v.map_or(Self::NullText, Self::Text)
    }
}

impl From<Option<bool>> for Arg {
    fn from(v: Option<bool>) -> Self {
        v.map_or(Self::NullBool, Self::Bool)
    }
}

impl From<&Option<String>> for Arg {
    fn from(v: &Option<String>) -> Self {
        v.as_deref().into()
    }
}

impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        v.map_or(Self::NullText, |s| Self::Text(s.to_owned()))
    }
}

/// The values of one statement, in placeholder order: `$1` is the first pushed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Args(Vec<Arg>);

impl Args {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a value and returns its placeholder (`$n`).
    pub fn push(&mut self, value: impl Into<Arg>) -> String {
        self.0.push(value.into());
        format!("${}", self.0.len())
    }

    /// Adds a value whose placeholder the statement already spells (a fixed `$1`).
    pub fn with(mut self, value: impl Into<Arg>) -> Self {
        self.0.push(value.into());
        self
    }

    /// Adds every value and returns their placeholders joined by commas, for `IN (…)`.
    pub fn list<T: Into<Arg>>(&mut self, values: impl IntoIterator<Item = T>) -> String {
        let mut out = String::new();
        for v in values {
            if !out.is_empty() {
                out.push(',');
            }
            out.push_str(&self.push(v));
        }
        out
    }

    /// Adds one row of a multi-row `VALUES` list and returns it as `($a,$b,…)`.
    pub fn row<T: Into<Arg>>(&mut self, values: impl IntoIterator<Item = T>) -> String {
        format!("({})", self.list(values))
    }

    pub fn into_vec(self) -> Vec<Arg> {
        self.0
    }
}

impl Deref for Args {
    type Target = [Arg];

    fn deref(&self) -> &[Arg] {
        &self.0
    }
}

impl From<Vec<Arg>> for Args {
    fn from(v: Vec<Arg>) -> Self {
        Self(v)
    }
}

/// `$start,$start+1,…` for `n` values bound elsewhere (the inline SQLite reads, which bind
/// borrowed values without an [`Args`]).
pub fn placeholders(start: usize, n: usize) -> String {
    let mut out = String::with_capacity(n * 4);
    for i in start..start + n {
        if i > start {
            out.push(',');
        }
        out.push('$');
        out.push_str(&i.to_string());
    }
    out
}

/// `rows` tuples of `cols` placeholders from `$start` (`($2),($3)` for 2, 2, 1): a multi-row
/// `VALUES` list whose values are bound elsewhere.
pub fn value_rows(start: usize, rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(start + r * cols, cols)))
        .collect::<Vec<_>>()
        .join(",")
}

/// `rows` as one multi-row `VALUES` list (`($1,$2),($3,$4)`) and its values.
pub fn values<R: IntoIterator<Item = Arg>>(rows: impl IntoIterator<Item = R>) -> (String, Args) {
    let mut args = Args::new();
    let list = rows
        .into_iter()
        .map(|r| args.row(r))
        .collect::<Vec<_>>()
        .join(",");
    (list, args)
}

/// `Args` from a list of values, `$1` first: `args![viewer, now]`.
macro_rules! args {
    ($($v:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut a = $crate::db::query::Args::new();
        $(a.push($v);)*
        a
    }};
}
pub(crate) use args;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_follow_the_values() {
        let mut a = Args::new();
        assert_eq!(a.push(7), "$1");
        assert_eq!(a.list(["x", "y"]), "$2,$3");
        assert_eq!(a.row([Some(1), None]), "($4,$5)");
        assert_eq!(a.list(Vec::<i64>::new()), "");
        assert_eq!(placeholders(3, 2), "$3,$4");
        assert_eq!(value_rows(2, 2, 2), "($2,$3),($4,$5)");
        assert_eq!(
            a.into_vec(),
            vec![
                Arg::Int(7),
                Arg::Text("x".into()),
                Arg::Text("y".into()),
                Arg::Int(1),
                Arg::NullInt
            ]
        );
    }
}
