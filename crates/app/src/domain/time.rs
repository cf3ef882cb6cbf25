//! Timestamps are stored as milliseconds since the epoch and rendered as Mastodon does.

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone, Utc};

pub use super::ids::now_millis;

pub fn now() -> i64 {
    i64::try_from(now_millis()).unwrap_or(i64::MAX)
}

fn datetime(millis: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(millis)
        .single()
        .unwrap_or_default()
}

/// `2022-09-08T23:03:26.762Z`
pub fn iso8601(millis: i64) -> String {
    datetime(millis).to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `2016-11-24T00:00:00.000Z`: an Account's `created_at` is truncated to midnight UTC.
pub fn iso8601_midnight(millis: i64) -> String {
    let d = datetime(millis).date_naive();
    format!("{}T00:00:00.000Z", d.format("%Y-%m-%d"))
}

/// `2022-09-08`: `last_status_at` is a date.
pub fn date(millis: i64) -> String {
    datetime(millis).date_naive().format("%Y-%m-%d").to_string()
}

/// `2024-05-01T12:05:00.000000Z`: rate-limit reset times carry 6 fractional digits.
pub fn iso8601_micros(millis: i64) -> String {
    datetime(millis).to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Parses the dates Rails casts: `2000-01-31` and `31.01.2000`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_mastodon() {
        let ms = 1_662_678_206_762;
        assert_eq!(iso8601(ms), "2022-09-08T23:03:26.762Z");
        assert_eq!(iso8601_midnight(ms), "2022-09-08T00:00:00.000Z");
        assert_eq!(date(ms), "2022-09-08");
        assert_eq!(iso8601_micros(ms), "2022-09-08T23:03:26.762000Z");
    }

    #[test]
    fn parses_both_date_forms() {
        assert_eq!(parse_date("2000-01-31"), parse_date("31.01.2000"));
        assert!(parse_date("nope").is_none());
    }
}

/// A week in milliseconds.
pub const WEEK_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// The start (Monday 00:00 UTC, as upstream's `beginning_of_week`) of the week of `millis`.
pub fn week_start(millis: i64) -> i64 {
    // 1970-01-05, the first Monday after the epoch.
    const FIRST_MONDAY: i64 = 4 * 24 * 60 * 60 * 1000;
    millis - (millis - FIRST_MONDAY).rem_euclid(WEEK_MS)
}

#[cfg(test)]
mod week_tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        // 2026-12-06 is a Sunday; its week began on Monday 2026-11-30.
        let sunday = 1_796_515_200_000 + 12 * 3_600_000;
        assert_eq!(iso8601(week_start(sunday)), "2026-11-30T00:00:00.000Z");
        let monday = 1_795_996_800_000;
        assert_eq!(week_start(monday), monday);
        assert_eq!(week_start(monday - 1), monday - WEEK_MS);
    }
}
