//! Everything a request handler reaches: configuration, the database, the id generator, the
//! rate limiter, the mailer and caches of instance counts and rendered accounts. Nothing that matters lives only
//! here: it is all rebuilt from configuration and the database at start.

use std::sync::Arc;

use crate::cache::RenderedAccounts;
use crate::config::Config;
use crate::db::Db;
use crate::domain::ids::IdGenerator;
use crate::mail::{Mail, Mailer};
use crate::media::MediaStorage;
use crate::ratelimit::{MemoryLimiter, RateLimiter};
use crate::services::instance_stats::StatsCache;
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
    bus: Arc<dyn EventBus>,
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
        let ids = IdGenerator::new(config.node_id);
        let rendered_accounts = RenderedAccounts::with_capacity(config.account_cache_mb << 20);
        let credential_accounts = RenderedAccounts::with_capacity(config.account_cache_mb << 20);
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
                bus: Arc::new(LocalBus::default()),
            }),
        }
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

    /// This process's rendered own accounts (`verify_credentials`; derived, like the above).
    pub fn credential_accounts(&self) -> &RenderedAccounts {
        &self.inner.credential_accounts
    }

    /// The streaming event bus (in-process; see `services::streaming::bus`).
    pub fn bus(&self) -> &dyn EventBus {
        self.inner.bus.as_ref()
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

    /// Sends mail and waits for it (CLI, tests).
    pub async fn send_mail_now(&self, mail: &Mail) -> Result<(), String> {
        self.inner
            .mailer
            .send(&self.inner.config.mail_from, mail)
            .await
    }
}
