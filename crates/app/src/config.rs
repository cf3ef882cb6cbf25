//! Configuration: defaults give a zero-setup server; a TOML file and `WOOLLY_*` environment
//! variables override them (see `config/example.toml`).

use std::path::PathBuf;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Who may sign up through `POST /api/v1/accounts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegistrationsMode {
    Open,
    Approval,
    Closed,
}

impl RegistrationsMode {
    /// The value `GET /api/v2/instance` reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Approval => "approved",
            Self::Closed => "none",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    /// Address the HTTP server binds to.
    pub listen: String,
    /// Folder for the SQLite file, media and the mail outbox.
    pub data_dir: PathBuf,
    /// The local domain used in `acct`, URIs and links.
    pub domain: String,
    /// Scheme of public URLs: "https" in production, "http" for local use.
    pub scheme: String,
    /// `sqlite://…` or `postgres://…`; empty means `<data_dir>/woolly.sqlite3`.
    pub database_url: String,
    /// Connections in the pool.
    pub database_pool_size: u32,
    /// Instance title shown by `/api/v1/instance`.
    pub title: String,
    pub description: String,
    pub contact_email: String,
    pub registrations: RegistrationsMode,
    /// Registration requires a reason when approval is needed.
    pub require_invite_text: bool,
    /// Rate limits on the API (upstream's numbers); switch off only for benchmarks.
    pub rate_limits: bool,
    /// Node id (0..63) that keeps snowflake ids unique when several processes share a database.
    pub node_id: u16,
    /// SMTP URL (`smtps://user:pass@host:465`); empty writes mail to `<data_dir>/outbox`.
    pub smtp_url: String,
    pub mail_from: String,
    /// Allow outbound fetches (rel=me verification) to private and loopback addresses; tests only.
    pub allow_private_fetches: bool,
    /// Check profile-field links for a rel="me" link back (outbound fetches after a save).
    pub verify_profile_links: bool,
    /// Memory for rendered accounts kept between commits (`cache::rendered_accounts`), in
    /// MiB for each of the two caches (`accounts/:id`, `verify_credentials`); 0 turns them
    /// off. Used on SQLite only.
    pub account_cache_mb: u64,
    /// How often a streaming connection checks that its token is still valid and its user
    /// may still sign in, in seconds (the stream ends when not).
    pub streaming_recheck_secs: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:3000".into(),
            data_dir: PathBuf::from("./data"),
            domain: "localhost:3000".into(),
            scheme: "http".into(),
            database_url: String::new(),
            database_pool_size: 8,
            title: "Woolly".into(),
            description: "A Woolly server".into(),
            contact_email: String::new(),
            registrations: RegistrationsMode::Open,
            require_invite_text: false,
            rate_limits: true,
            node_id: 0,
            smtp_url: String::new(),
            mail_from: "notifications@localhost".into(),
            allow_private_fetches: false,
            verify_profile_links: true,
            account_cache_mb: 8,
            streaming_recheck_secs: 10,
        }
    }
}

impl Config {
    /// Defaults, then the TOML file (if any), then `WOOLLY_*` variables and `DATABASE_URL`.
    pub fn load(file: Option<&std::path::Path>) -> Result<Self, Box<figment::Error>> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            figment = figment.merge(Toml::file_exact(path));
        }
        figment = figment
            .merge(Env::prefixed("WOOLLY_"))
            .merge(Env::raw().only(&["DATABASE_URL"]));
        figment.extract().map_err(Box::new)
    }

    /// The database URL actually used: the configured one, or the SQLite file in the data dir.
    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!(
                "sqlite://{}",
                self.data_dir.join("woolly.sqlite3").display()
            )
        } else {
            self.database_url.clone()
        }
    }

    /// `https://example.com` — the root of every public URL.
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme, self.domain)
    }

    pub fn media_dir(&self) -> PathBuf {
        self.data_dir.join("media")
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }
}
