//! Everything a request handler reaches: configuration, the database, the id generator, the
//! rate limiter, the mailer, the outbound-fetch client and its slots, the running link checks,
//! and caches of instance counts and rendered accounts. Nothing that matters lives only
//! here: it is all rebuilt from configuration and the database at start.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::cache::RenderedAccounts;
use crate::cache::instance_stats::StatsCache;
use crate::cache::rendered_accounts::TYPICAL_ENTRY_BYTES;
use crate::config::Config;
use crate::db::Db;
use crate::domain::ids::IdGenerator;
use crate::federation::fetch::{FetchError, Fetcher, Limits};
use crate::federation::slots::FetchSlots;
use crate::mail::{Mail, Mailer};
use crate::media::MediaStorage;
use crate::ops::health::DbHealth;
use crate::ops::metrics::Metrics;
use crate::ratelimit::{MemoryLimiter, RateLimiter};
use crate::services::profile::verify_jobs::VerifyJobs;
use crate::services::relationships::RelationshipCache;
use crate::services::viewer::ViewerCache;

/// Longest wait of an outbound request for a slot before it is given up.
const FETCH_SLOT_WAIT: Duration = Duration::from_secs(30);
use crate::services::streaming::{EventBus, LocalBus};

#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    db: Db,
    ids: IdGenerator,
    limiter: Arc<dyn RateLimiter>,
    mailer: Mailer,
    media: Arc<dyn MediaStorage>,
    instance_stats: Arc<StatsCache>,
    rendered_accounts: RenderedAccounts,
    credential_accounts: RenderedAccounts,
    viewers: ViewerCache,
    relationships: RelationshipCache,
    trusted_proxies: Vec<ipnet::IpNet>,
    fetch_slots: FetchSlots,
    /// Built on first use (building can fail; starting the server should not).
    fetcher: OnceLock<Fetcher>,
    verify_jobs: VerifyJobs,
    /// Password hashes verified by sign-ins (real or dummy; see `services::oauth::sessions`).
    password_checks: AtomicU64,
    /// When the configuration (and the texts it holds) was read: milliseconds.
    config_loaded_at: i64,
    bus: Arc<dyn EventBus>,
    metrics: Metrics,
    db_health: DbHealth,
    /// Set once when the process begins to stop: streaming connections end at once instead
    /// of holding the shutdown grace period open (clients reconnect, as upstream's do).
    stopping: tokio::sync::watch::Sender<bool>,
    /// Wakes the federation worker when a job is queued (`services::federation::worker`).
    federation_jobs: tokio::sync::Notify,
}

impl AppState {
    pub fn new(config: Config, db: Db, mailer: Mailer, media: Arc<dyn MediaStorage>) -> Self {
        Self::with_limiter(
            config,
            db,
            mailer,
            media,
            Arc::new(MemoryLimiter::default()),
        )
    }

    pub fn with_limiter(
        config: Config,
        db: Db,
        mailer: Mailer,
        media: Arc<dyn MediaStorage>,
        limiter: Arc<dyn RateLimiter>,
    ) -> Self {
        Self::with_shared(
            config,
            db,
            mailer,
            media,
            limiter,
            Arc::new(LocalBus::default()),
        )
    }

    /// A state whose rate limits and streaming events may be shared with other processes
    /// (Redis when configured: `ratelimit::RedisLimiter`, `services::streaming::RedisBus`).
    pub fn with_shared(
        config: Config,
        db: Db,
        mailer: Mailer,
        media: Arc<dyn MediaStorage>,
        limiter: Arc<dyn RateLimiter>,
        bus: Arc<dyn EventBus>,
    ) -> Self {
        let ids = IdGenerator::new(config.node_id.unwrap_or(0));
        let metrics = Metrics::default();
        let rendered_accounts =
            RenderedAccounts::with_capacity(config.account_cache_mb << 20, TYPICAL_ENTRY_BYTES)
                .counting(metrics.cache_counters("accounts"));
        let credential_accounts =
            RenderedAccounts::with_capacity(config.account_cache_mb << 20, TYPICAL_ENTRY_BYTES)
                .counting(metrics.cache_counters("credential_accounts"));
        let viewers = ViewerCache::with_capacity(config.account_cache_mb << 20, 2048)
            .counting(metrics.cache_counters("viewers"));
        let relationships = RelationshipCache::with_capacity(config.account_cache_mb << 20, 512)
            .counting(metrics.cache_counters("relationships"));
        // `Config::validate` refused a bad list at start.
        let trusted_proxies = config.trusted_proxy_nets().unwrap_or_default();
        let fetch_slots = FetchSlots::new(
            config.fetch_concurrency,
            config.fetch_per_host,
            FETCH_SLOT_WAIT,
        );
        Self {
            inner: Arc::new(Inner {
                config,
                db,
                ids,
                limiter,
                mailer,
                media,
                instance_stats: Arc::default(),
                rendered_accounts,
                credential_accounts,
                viewers,
                relationships,
                trusted_proxies,
                fetch_slots,
                fetcher: OnceLock::new(),
                verify_jobs: VerifyJobs::default(),
                password_checks: AtomicU64::new(0),
                config_loaded_at: crate::domain::time::now(),
                bus,
                metrics,
                db_health: DbHealth::default(),
                stopping: tokio::sync::watch::Sender::new(false),
                federation_jobs: tokio::sync::Notify::new(),
            }),
        }
    }

    /// When the configuration was read (the `updated_at` of the texts it holds).
    pub fn config_loaded_at(&self) -> i64 {
        self.inner.config_loaded_at
    }

    /// Where uploaded media lives (a local folder now; object storage later).
    pub fn media(&self) -> &dyn MediaStorage {
        self.inner.media.as_ref()
    }

    /// This process's last instance counts (derived; see `services::instance_stats`).
    pub fn instance_stats_cache(&self) -> &StatsCache {
        &self.inner.instance_stats
    }

    /// This process's rendered accounts (derived; see `cache::rendered_accounts`).
    pub fn rendered_accounts(&self) -> &RenderedAccounts {
        &self.inner.rendered_accounts
    }

    /// Who each token stands for (derived; see `services::viewer::ViewerCache`).
    pub fn viewers(&self) -> &ViewerCache {
        &self.inner.viewers
    }

    /// Relationship pages (derived; see `services::relationships::RelationshipCache`).
    pub fn relationships(&self) -> &RelationshipCache {
        &self.inner.relationships
    }

    /// This process's rendered own accounts (`verify_credentials`; derived, like the above).
    pub fn credential_accounts(&self) -> &RenderedAccounts {
        &self.inner.credential_accounts
    }

    /// The reverse proxies whose `X-Forwarded-For` is believed (`http::extract::ClientIp`).
    pub fn trusted_proxies(&self) -> &[ipnet::IpNet] {
        &self.inner.trusted_proxies
    }

    /// The process-wide bound on outbound requests.
    pub fn fetch_slots(&self) -> &FetchSlots {
        &self.inner.fetch_slots
    }

    /// The outbound HTTP client; every request it makes holds one of `fetch_slots`.
    pub fn fetcher(&self) -> Result<Fetcher, FetchError> {
        if let Some(fetcher) = self.inner.fetcher.get() {
            return Ok(fetcher.clone());
        }
        let config = &self.inner.config;
        let user_agent = format!(
            "Woolly/{} (+{}/)",
            env!("CARGO_PKG_VERSION"),
            config.base_url()
        );
        let fetcher = Fetcher::new(
            &user_agent,
            config.allow_private_fetches,
            Limits::default(),
            self.inner.fetch_slots.clone(),
        )?;
        Ok(self.inner.fetcher.get_or_init(|| fetcher).clone())
    }

    /// The profile link checks running in this process (one per account).
    pub fn verify_jobs(&self) -> &VerifyJobs {
        &self.inner.verify_jobs
    }

    /// Counts one password hash verification (sign-in attempts, known e-mail or not).
    pub fn count_password_check(&self) {
        self.inner.password_checks.fetch_add(1, Ordering::Relaxed);
    }

    /// Password hash verifications so far in this process.
    pub fn password_checks(&self) -> u64 {
        self.inner.password_checks.load(Ordering::Relaxed)
    }

    /// The streaming event bus (in-process, or through Redis; see `services::streaming`).
    pub fn bus(&self) -> &dyn EventBus {
        self.inner.bus.as_ref()
    }

    /// Marks the process as stopping: every streaming connection of this process ends.
    pub fn begin_stopping(&self) {
        self.inner.stopping.send_replace(true);
    }

    /// Watches for [`Self::begin_stopping`] (already true for streams opened after it).
    pub fn stopping(&self) -> tokio::sync::watch::Receiver<bool> {
        self.inner.stopping.subscribe()
    }

    /// Tells this process's federation worker that a job was queued.
    pub fn federation_wake(&self) {
        self.inner.federation_jobs.notify_one();
    }

    /// Completes when [`Self::federation_wake`] was called (since the last wait).
    pub async fn federation_woken(&self) {
        self.inner.federation_jobs.notified().await;
    }

    /// This process's Prometheus metrics (`ops::metrics`).
    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// Whether the database answers now (checked at most once a second; `ops::health`).
    pub async fn database_answers(&self) -> bool {
        self.inner.db_health.check(&self.inner.db).await
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub fn next_id(&self) -> i64 {
        self.inner.ids.next()
    }

    pub fn limiter(&self) -> &dyn RateLimiter {
        self.inner.limiter.as_ref()
    }

    pub fn base_url(&self) -> String {
        self.inner.config.base_url()
    }

    /// Sends mail in the background; a failure is logged, never lost silently.
    pub fn send_mail(&self, mail: Mail) {
        let mailer = self.inner.mailer.clone();
        let from = self.inner.config.mail_from.clone();
        tokio::spawn(async move {
            if let Err(error) = mailer.send(&from, &mail).await {
                tracing::error!(%error, to = %mail.to, "sending mail failed");
            }
        });
    }
}
