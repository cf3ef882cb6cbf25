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
    /// Threads that serve requests (the async runtime's workers); 0: one per core. Several
    /// processes on one host serve best with about cores ÷ processes each.
    pub worker_threads: usize,
    /// Instance title shown by `/api/v1/instance`.
    pub title: String,
    pub description: String,
    pub contact_email: String,
    pub registrations: RegistrationsMode,
    /// Registration requires a reason when approval is needed.
    pub require_invite_text: bool,
    /// Rate limits on the API (upstream's numbers); switch off only for benchmarks.
    pub rate_limits: bool,
    /// Multiplies the limit of every API request throttle (`per_token_api` 300 → 300 × this
    /// per 5 minutes, …); 1 is upstream's numbers. For load tests that must count requests
    /// (the limiter's cost) without being refused.
    pub rate_limit_multiplier: u64,
    /// Node id (0..=63) that keeps snowflake ids unique when several processes share a
    /// database; `serve` leases it in the database (`services::node_lease`). Unset: `serve`
    /// leases the lowest free one.
    pub node_id: Option<u16>,
    /// SMTP URL (`smtps://user:pass@host:465`); empty writes mail to `<data_dir>/outbox`.
    pub smtp_url: String,
    pub mail_from: String,
    /// Allow outbound fetches (rel=me verification) to private and loopback addresses; tests only.
    pub allow_private_fetches: bool,
    /// Check profile-field links for a rel="me" link back (outbound fetches after a save).
    pub verify_profile_links: bool,
    /// Outbound requests (link checks, later federation) in flight at once in this process.
    pub fetch_concurrency: usize,
    /// Outbound requests in flight at once to any one host.
    pub fetch_per_host: usize,
    /// Milliseconds before a failed federation job (a delivery) is tried again; the wait
    /// doubles with each attempt (capped at a day) and 16 attempts span about a week with the
    /// default 30 s, upstream's window. Tests shorten it.
    pub delivery_retry_base_ms: u64,
    /// Memory for what the hot reads take from the database, kept between commits (`cache/`),
    /// in MiB for each of the four caches (rendered `accounts/:id` and `verify_credentials`,
    /// viewers by token, relationship pages); 0 turns them off.
    pub account_cache_mb: u64,
    /// The server's rules (`GET /api/v1/instance/rules`), one text each, in order.
    pub rules: Vec<String>,
    /// HTML of `GET /api/v1/instance/extended_description`; empty: the description.
    pub extended_description: String,
    /// HTML of `GET /api/v1/instance/privacy_policy`; empty: Woolly's default policy.
    pub privacy_policy: String,
    /// HTML of `GET /api/v1/instance/terms_of_service`; empty: none (404, as upstream).
    pub terms_of_service: String,
    /// Comma-separated CIDRs (or addresses) of reverse proxies whose `X-Forwarded-For` is
    /// believed; empty trusts none.
    pub trusted_proxies: String,
    /// Seconds a connection may take to send a complete request head, counted from its
    /// first byte (or from the accept, for a new connection).
    pub header_read_timeout_secs: u64,
    /// Seconds an idle keep-alive connection (no request in flight, nothing sent) is kept.
    pub keep_alive_timeout_secs: u64,
    /// Seconds a request body may go without sending a byte before the request fails.
    pub body_read_timeout_secs: u64,
    /// Seconds open connections get to finish after SIGTERM/Ctrl-C before they are dropped.
    pub shutdown_grace_secs: u64,
    /// How often a streaming connection checks that its token is still valid and its user
    /// may still sign in, in seconds (the stream ends when not).
    pub streaming_recheck_secs: u64,
    /// `redis://host:port/db`: rate-limit counters shared by every process (empty: counted
    /// in this process, right for one process only).
    pub redis_url: String,
    /// A Unix socket path shared by the `woolly serve` processes of one host on one PostgreSQL
    /// database: they then share one fence (snapshot reads before requests) instead of each
    /// reading for itself (`db::fence_host`). Empty: each process reads for itself.
    pub fence_socket: String,
    /// Address of the Prometheus `GET /metrics` listener (`127.0.0.1:9100`); empty: off.
    pub metrics_listen: String,
    /// Log lines as `text` (for people) or `json` (one object a line, for collectors).
    pub log_format: LogFormat,
    /// Media on S3-compatible object storage instead of `<data_dir>/media` (`media::s3`).
    pub s3: S3Config,
    /// Limited federation (upstream's `LIMITED_FEDERATION_MODE`): only the domains of
    /// `/api/v1/admin/domain_allows` federate.
    pub limited_federation: bool,
    /// Who sees `GET /api/v1/instance/domain_blocks` (upstream's `show_domain_blocks`).
    pub show_domain_blocks: Disclosure,
    /// Who sees the blocks' public comments there (`show_domain_blocks_rationale`).
    pub show_domain_blocks_rationale: Disclosure,
}

/// Upstream's `disabled` / `users` / `all` settings: nobody, signed-in users, everyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Disclosure {
    #[default]
    Disabled,
    Users,
    All,
}

impl Disclosure {
    /// True when a viewer (signed in or not) may see it.
    pub fn shown_to(self, signed_in: bool) -> bool {
        match self {
            Self::Disabled => false,
            Self::Users => signed_in,
            Self::All => true,
        }
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// S3-compatible media storage; off while `bucket` is empty.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct S3Config {
    /// `https://s3.eu-west-1.amazonaws.com`, or a MinIO/Garage/… endpoint; empty: AWS.
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Where clients fetch the files (a CDN or the bucket's public URL), without a trailing
    /// slash; empty: served through this server's `/system/…`.
    pub public_url: String,
}

impl S3Config {
    pub fn enabled(&self) -> bool {
        !self.bucket.is_empty()
    }
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
            worker_threads: 0,
            title: "Woolly".into(),
            description: "A Woolly server".into(),
            contact_email: String::new(),
            registrations: RegistrationsMode::Open,
            require_invite_text: false,
            rate_limits: true,
            rate_limit_multiplier: 1,
            node_id: None,
            smtp_url: String::new(),
            mail_from: "notifications@localhost".into(),
            allow_private_fetches: false,
            verify_profile_links: true,
            fetch_concurrency: 16,
            fetch_per_host: 4,
            delivery_retry_base_ms: 30_000,
            account_cache_mb: 8,
            rules: Vec::new(),
            extended_description: String::new(),
            privacy_policy: String::new(),
            terms_of_service: String::new(),
            trusted_proxies: DEFAULT_TRUSTED_PROXIES.into(),
            header_read_timeout_secs: 10,
            keep_alive_timeout_secs: 60,
            body_read_timeout_secs: 30,
            shutdown_grace_secs: 20,
            streaming_recheck_secs: 10,
            redis_url: String::new(),
            fence_socket: String::new(),
            metrics_listen: String::new(),
            log_format: LogFormat::Text,
            s3: S3Config::default(),
            limited_federation: false,
            show_domain_blocks: Disclosure::Disabled,
            show_domain_blocks_rationale: Disclosure::Disabled,
        }
    }
}

/// Node ids are the 6 bits of a snowflake id's tail (`domain::ids`).
pub const MAX_NODE_ID: u16 = 63;

/// Loopback only: a proxy on the same host (the usual nginx in front of `127.0.0.1:3000`)
/// works without setting, and no remote peer can be loopback. Upstream also trusts the
/// private ranges by default; here a LAN or container neighbour could then forge its address.
pub const DEFAULT_TRUSTED_PROXIES: &str = "127.0.0.0/8,::1/128";

impl Config {
    /// Refuses values the server must not start with.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(node_id) = self.node_id.filter(|id| *id > MAX_NODE_ID) {
            return Err(format!(
                "node_id {node_id} is out of range: it must be between 0 and {MAX_NODE_ID}"
            ));
        }
        self.trusted_proxy_nets()?;
        for (key, secs) in [
            ("header_read_timeout_secs", self.header_read_timeout_secs),
            ("keep_alive_timeout_secs", self.keep_alive_timeout_secs),
            ("body_read_timeout_secs", self.body_read_timeout_secs),
        ] {
            if secs == 0 {
                return Err(format!("{key} must be at least 1"));
            }
        }
        Ok(())
    }

    /// `trusted_proxies` parsed; a bare address is a single-address network.
    pub fn trusted_proxy_nets(&self) -> Result<Vec<ipnet::IpNet>, String> {
        self.trusted_proxies
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<ipnet::IpNet>()
                    .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| format!("trusted_proxies: {s:?} is not a CIDR or an IP address"))
            })
            .collect()
    }

    /// Defaults, then the TOML file (if any), then `WOOLLY_*` variables and `DATABASE_URL`.
    pub fn load(file: Option<&std::path::Path>) -> Result<Self, Box<figment::Error>> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            figment = figment.merge(Toml::file_exact(path));
        }
        figment = figment
            .merge(Env::prefixed("WOOLLY_").map(|key| {
                // `WOOLLY_S3_BUCKET` sets `s3.bucket`.
                match key
                    .as_str()
                    .strip_prefix("S3_")
                    .or(key.as_str().strip_prefix("s3_"))
                {
                    Some(rest) => format!("s3.{rest}").into(),
                    None => key.into(),
                }
            }))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_file_documents_valid_keys() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/example.toml");
        let loaded = Config::load(Some(&path));
        assert!(loaded.is_ok(), "{loaded:?}");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let parsed: Result<Config, _> = Figment::from(Toml::string(&text)).extract();
        // Every key the example names is a real one (an unknown key would be ignored).
        assert!(parsed.is_ok() || text.is_empty(), "{parsed:?}");
    }

    #[test]
    fn node_ids_past_63_are_refused() {
        let mut config = Config {
            node_id: Some(63),
            ..Config::default()
        };
        assert_eq!(config.validate(), Ok(()));
        config.node_id = Some(64);
        let refused = config.validate().err().unwrap_or_default();
        assert!(refused.contains("node_id 64 is out of range"), "{refused}");
    }

    #[test]
    fn trusted_proxies_are_cidrs_or_addresses() {
        let mut config = Config {
            trusted_proxies: " 10.0.0.0/8, 192.0.2.7 ,fd00::/8".into(),
            ..Config::default()
        };
        let nets = config.trusted_proxy_nets().unwrap_or_default();
        assert_eq!(nets.len(), 3);
        assert_eq!(nets[1].to_string(), "192.0.2.7/32");
        config.trusted_proxies = "10.0.0.0/8,nginx".into();
        assert!(config.validate().is_err());
        config.trusted_proxies = String::new();
        assert_eq!(config.trusted_proxy_nets(), Ok(Vec::new()));
    }
}
