//! Pure sign-up rules: the attribute checks of upstream's User and Account models and the
//! normalisation of e-mail, locale and time zone.

use sha2::{Digest, Sha256};

use crate::domain::acct;
use crate::error::Validation;

pub const USERNAME_MAX: usize = 30;
pub const EMAIL_MAX: usize = 320;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 72;
pub const REASON_MAX: usize = 420;

pub const USERNAME: (&str, &str) = ("username", "Username");
pub const EMAIL: (&str, &str) = ("email", "E-mail address");
pub const PASSWORD: (&str, &str) = ("password", "Password");
pub const AGREEMENT: (&str, &str) = ("agreement", "Service agreement");
pub const REASON: (&str, &str) = ("reason", "Reason");

fn add(v: &mut Validation, attr: (&str, &str), code: &str, description: &str) {
    v.add(attr.0, attr.1, code, description);
}

pub fn blank(v: &mut Validation, attr: (&str, &str)) {
    add(v, attr, "blank", "can't be blank");
}

pub fn too_long(v: &mut Validation, attr: (&str, &str), max: usize) {
    add(
        v,
        attr,
        "too_long",
        &format!("is too long (maximum is {max} characters)"),
    );
}

pub fn taken(v: &mut Validation, attr: (&str, &str)) {
    add(v, attr, "taken", "has already been taken");
}

/// Upstream's `squish`: trims and collapses inner whitespace runs.
pub fn squish(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Username checks that need no database: format, length, reserved names.
pub fn check_username_shape(v: &mut Validation, username: &str) {
    if !acct::is_valid_local_username(username) {
        add(
            v,
            USERNAME,
            "invalid",
            "must contain only letters, numbers and underscores",
        );
    }
    if username.chars().count() > USERNAME_MAX {
        too_long(v, USERNAME, USERNAME_MAX);
    }
    if acct::is_reserved(username) {
        add(v, USERNAME, "reserved", "is reserved");
    }
}

/// E-mail stripped of surrounding whitespace and lower-cased, as upstream's `User`
/// normalises it. Whitespace inside stays, for the validator to refuse: upstream's mail
/// parser would not reproduce `a b@example.com` unchanged.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Devise's `/\A[^@\s]+@[^@\s]+\z/`, the mail parser's refusals, and upstream's `%,"` rule.
pub fn email_is_valid(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let forbidden = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                '@' | '%' | ',' | '"' | '<' | '>' | '(' | ')' | '[' | ']' | ';' | ':' | '\\'
            )
    };
    !local.is_empty()
        && !domain.is_empty()
        && !local.chars().any(forbidden)
        && !domain.chars().any(forbidden)
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// The e-mail's domain and every parent domain (`a.b.c` → `a.b.c`, `b.c`, `c`), which
/// upstream's domain blocks also match.
pub fn email_domains(email: &str) -> Vec<String> {
    let Some((_, domain)) = email.rsplit_once('@') else {
        return Vec::new();
    };
    let labels: Vec<&str> = domain.split('.').collect();
    (0..labels.len()).map(|i| labels[i..].join(".")).collect()
}

/// Upstream's canonical e-mail hash: dots and `+suffix` dropped from the local part.
pub fn canonical_email_hash(email: &str) -> String {
    let lower = email.to_lowercase();
    let (local, domain) = lower.split_once('@').unwrap_or((lower.as_str(), ""));
    let local: String = local.chars().filter(|c| *c != '.').collect();
    let local = local.split('+').next().unwrap_or_default();
    hex::encode(Sha256::digest(format!("{local}@{domain}").as_bytes()))
}

pub fn check_password(v: &mut Validation, password: Option<&str>) {
    match password {
        None | Some("") => blank(v, PASSWORD),
        Some(p) => {
            let n = p.chars().count();
            if n < PASSWORD_MIN {
                add(
                    v,
                    PASSWORD,
                    "too_short",
                    &format!("is too short (minimum is {PASSWORD_MIN} characters)"),
                );
            } else if n > PASSWORD_MAX {
                too_long(v, PASSWORD, PASSWORD_MAX);
            }
        }
    }
}

/// Rails' acceptance with `accept: [true, 'true', '1']`; a missing value fails too.
pub fn check_agreement(v: &mut Validation, agreement: Option<&str>) {
    if !matches!(agreement, Some("true" | "1")) {
        add(v, AGREEMENT, "accepted", "must be accepted");
    }
}

/// The locales upstream ships; anything else is stored as null.
const LOCALES: &[&str] = &[
    "af", "an", "ar", "ast", "be", "bg", "bn", "br", "bs", "ca", "ckb", "co", "cs", "cy", "da",
    "de", "el", "en", "en-GB", "eo", "es", "es-AR", "es-MX", "et", "eu", "fa", "fi", "fil", "fo",
    "fr", "fr-CA", "fr-QC", "fy", "ga", "gd", "gl", "he", "hi", "hr", "hu", "hy", "ia", "id", "ie",
    "ig", "io", "is", "it", "ja", "ka", "kab", "kk", "kn", "ko", "ku", "kw", "la", "lt", "lv",
    "mk", "ml", "mr", "ms", "my", "nan", "nl", "nn", "no", "oc", "pa", "pl", "pt-BR", "pt-PT",
    "ro", "ru", "sa", "sc", "sco", "si", "sk", "sl", "sq", "sr", "sr-Latn", "sv", "szl", "ta",
    "tai", "te", "th", "tok", "tr", "tt", "ug", "uk", "ur", "uz", "vi", "zgh", "zh-CN", "zh-HK",
    "zh-TW",
];

pub fn normalize_locale(locale: Option<&str>) -> Option<String> {
    let l = locale?.trim();
    LOCALES.iter().find(|k| **k == l).map(|k| (*k).to_owned())
}

/// Rails' own zone names (`ActiveSupport::TimeZone::MAPPING` keys) that are not IANA names.
const RAILS_ZONES: &[&str] = &[
    "International Date Line West",
    "Midway Island",
    "American Samoa",
    "Hawaii",
    "Alaska",
    "Pacific Time (US & Canada)",
    "Tijuana",
    "Mountain Time (US & Canada)",
    "Arizona",
    "Chihuahua",
    "Mazatlan",
    "Central Time (US & Canada)",
    "Saskatchewan",
    "Guadalajara",
    "Mexico City",
    "Monterrey",
    "Central America",
    "Eastern Time (US & Canada)",
    "Indiana (East)",
    "Bogota",
    "Lima",
    "Quito",
    "Atlantic Time (Canada)",
    "Caracas",
    "La Paz",
    "Santiago",
    "Newfoundland",
    "Brasilia",
    "Buenos Aires",
    "Montevideo",
    "Georgetown",
    "Puerto Rico",
    "Greenland",
    "Mid-Atlantic",
    "Azores",
    "Cape Verde Is.",
    "Dublin",
    "Edinburgh",
    "Lisbon",
    "London",
    "Casablanca",
    "Monrovia",
    "UTC",
    "Belgrade",
    "Bratislava",
    "Budapest",
    "Ljubljana",
    "Prague",
    "Sarajevo",
    "Skopje",
    "Warsaw",
    "Zagreb",
    "Brussels",
    "Copenhagen",
    "Madrid",
    "Paris",
    "Amsterdam",
    "Berlin",
    "Bern",
    "Zurich",
    "Rome",
    "Stockholm",
    "Vienna",
    "West Central Africa",
    "Bucharest",
    "Cairo",
    "Helsinki",
    "Kyiv",
    "Riga",
    "Sofia",
    "Tallinn",
    "Vilnius",
    "Athens",
    "Istanbul",
    "Minsk",
    "Jerusalem",
    "Harare",
    "Pretoria",
    "Kaliningrad",
    "Moscow",
    "St. Petersburg",
    "Volgograd",
    "Samara",
    "Kuwait",
    "Riyadh",
    "Nairobi",
    "Baghdad",
    "Tehran",
    "Abu Dhabi",
    "Muscat",
    "Baku",
    "Tbilisi",
    "Yerevan",
    "Kabul",
    "Ekaterinburg",
    "Islamabad",
    "Karachi",
    "Tashkent",
    "Chennai",
    "Kolkata",
    "Mumbai",
    "New Delhi",
    "Kathmandu",
    "Dhaka",
    "Sri Jayawardenepura",
    "Almaty",
    "Astana",
    "Novosibirsk",
    "Rangoon",
    "Bangkok",
    "Hanoi",
    "Jakarta",
    "Krasnoyarsk",
    "Beijing",
    "Chongqing",
    "Hong Kong",
    "Urumqi",
    "Kuala Lumpur",
    "Singapore",
    "Taipei",
    "Perth",
    "Irkutsk",
    "Ulaanbaatar",
    "Seoul",
    "Osaka",
    "Sapporo",
    "Tokyo",
    "Yakutsk",
    "Darwin",
    "Adelaide",
    "Canberra",
    "Melbourne",
    "Sydney",
    "Brisbane",
    "Hobart",
    "Vladivostok",
    "Guam",
    "Port Moresby",
    "Magadan",
    "Srednekolymsk",
    "Solomon Is.",
    "New Caledonia",
    "Fiji",
    "Kamchatka",
    "Marshall Is.",
    "Auckland",
    "Wellington",
    "Nuku'alofa",
    "Tokelau Is.",
    "Chatham Is.",
    "Samoa",
];

const IANA_AREAS: &[&str] = &[
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
    "Etc",
];

/// Known zones are kept; anything else becomes null, as upstream normalises it. IANA names
/// are recognised by their area and shape (`Europe/Berlin`, `America/Argentina/Salta`).
pub fn normalize_time_zone(zone: Option<&str>) -> Option<String> {
    let z = zone?.trim();
    if RAILS_ZONES.contains(&z) || matches!(z, "UTC" | "GMT" | "Etc/UTC") {
        return Some(z.to_owned());
    }
    let mut parts = z.split('/');
    let area = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    let shaped = !rest.is_empty()
        && rest.len() <= 2
        && rest.iter().all(|p| {
            !p.is_empty()
                && p.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        });
    (IANA_AREAS.contains(&area) && shaped).then(|| z.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(normalize_email(" Foo@Example.COM "), "foo@example.com");
        assert!(!email_is_valid(&normalize_email("a b@example.com")));
        assert!(email_is_valid("a.b+c@example.com"));
        for bad in [
            "nope",
            "@x.com",
            "a@",
            "a%b@x.com",
            "a,b@x.com",
            "a\"b@x.com",
            "a@@b",
            "a@b..c",
        ] {
            assert!(!email_is_valid(bad), "{bad}");
        }
        assert_eq!(
            email_domains("a@x.spam.com"),
            vec!["x.spam.com", "spam.com", "com"]
        );
        assert_eq!(
            canonical_email_hash("J.Doe+spam@Example.com"),
            canonical_email_hash("jdoe@example.com")
        );
    }

    #[test]
    fn locales_and_zones() {
        assert_eq!(normalize_locale(Some("de")), Some("de".into()));
        assert_eq!(normalize_locale(Some("klingon")), None);
        assert_eq!(
            normalize_time_zone(Some("Europe/Berlin")),
            Some("Europe/Berlin".into())
        );
        assert_eq!(normalize_time_zone(Some("Berlin")), Some("Berlin".into()));
        assert_eq!(normalize_time_zone(Some("Mars/Olympus")), None);
        assert_eq!(normalize_time_zone(Some("nowhere")), None);
    }

    #[test]
    fn usernames() {
        let mut v = Validation::new();
        check_username_shape(&mut v, "ok_name");
        assert!(v.is_empty());
        check_username_shape(&mut v, "bad-name");
        assert!(v.has("username"));
    }
}
