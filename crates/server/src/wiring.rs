//! What configuration chooses at start: the log format, the rate-limit store, the streaming
//! bus, the media store and the metrics listener.

use std::sync::Arc;

use anyhow::Context;
use tokio::task::JoinHandle;
use woolly::config::{Config, LogFormat};
use woolly::media::MediaStorage;
use woolly::ratelimit::{MemoryLimiter, RateLimiter, RedisLimiter};
use woolly::services::streaming::{EventBus, LocalBus, RedisBus};
use woolly::state::AppState;

pub fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "woolly=info,warn".into());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().flatten_event(true).init(),
    }
}

/// Redis when `redis_url` is set (limits shared by every process), else this process's memory.
pub async fn rate_limiter(config: &Config) -> anyhow::Result<Arc<dyn RateLimiter>> {
    if config.redis_url.is_empty() {
        return Ok(Arc::new(MemoryLimiter::default()));
    }
    let limiter = RedisLimiter::connect(&config.redis_url)
        .await
        .context("connecting to Redis (redis_url)")?;
    tracing::debug!("rate limits are counted in Redis");
    Ok(Arc::new(limiter))
}

/// Streaming events through Redis when `redis_url` is set (a client streaming from one
/// process hears writes through every other), else within this process.
pub async fn event_bus(config: &Config) -> anyhow::Result<Arc<dyn EventBus>> {
    if config.redis_url.is_empty() {
        return Ok(Arc::new(LocalBus::default()));
    }
    let bus = RedisBus::connect(&config.redis_url, STREAMING_PREFIX)
        .await
        .context("connecting to Redis for streaming (redis_url)")?;
    Ok(Arc::new(bus))
}

/// Where this deployment's streaming channels live in Redis (pub/sub ignores the database
/// number, so deployments sharing one Redis must differ here).
const STREAMING_PREFIX: &str = "woolly:";

/// S3-compatible storage when `s3.bucket` is set, else the local media folder.
pub fn media_storage(config: &Config) -> anyhow::Result<Arc<dyn MediaStorage>> {
    if config.s3.enabled() {
        let s3 = woolly::media::s3::storage(&config.s3).context("configuring S3 media storage")?;
        return Ok(Arc::new(s3));
    }
    let local = woolly::media::LocalMediaStorage::new(config.media_dir())
        .with_context(|| format!("creating media dir {}", config.media_dir().display()))?;
    Ok(Arc::new(local))
}

/// Serves `GET /metrics` on `metrics_listen` when it is set.
pub async fn serve_metrics(state: &AppState) -> anyhow::Result<Option<JoinHandle<()>>> {
    let listen = state.config().metrics_listen.clone();
    if listen.is_empty() {
        return Ok(None);
    }
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| format!("binding the metrics listener {listen}"))?;
    println!("metrics on http://{}/metrics", listener.local_addr()?);
    let router = woolly::ops::metrics_http::router(state.clone());
    Ok(Some(tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            tracing::error!(%error, "the metrics listener stopped");
        }
    })))
}
