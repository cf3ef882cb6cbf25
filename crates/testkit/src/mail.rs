//! Reading the mail outbox (`.eml` files) the way a user reads their inbox: decoded text,
//! and the confirmation links in it.

use std::path::Path;

/// The decoded texts of the mails in `dir` (quoted-printable undone).
pub fn mails(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .map(|m| decode(&m))
        .collect()
}

/// The decoded texts of the mails in `dir` addressed to `to`.
pub fn mails_to(dir: &Path, to: &str) -> Vec<String> {
    mails(dir)
        .into_iter()
        .filter(|m| m.contains(&format!("To: {to}")))
        .collect()
}

/// The confirmation tokens in the mails in `dir` to `to`, in no particular order.
pub fn confirmation_tokens(dir: &Path, to: &str) -> Vec<String> {
    const KEY: &str = "confirmation_token=";
    mails_to(dir, to)
        .iter()
        .filter_map(|mail| {
            let start = mail.find(KEY)? + KEY.len();
            Some(
                mail[start..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect(),
            )
        })
        .collect()
}

fn decode(text: &str) -> String {
    match quoted_printable::decode(text, quoted_printable::ParseMode::Robust) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => text.to_owned(),
    }
}
