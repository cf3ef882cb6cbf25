//! Prometheus metrics of this process, served as `GET /metrics` on their own listen address
//! (`metrics_listen`, off by default) so they never share the public port: requests and
//! their latency by route template and status, the database pool, the rendered-account
//! caches and rate-limit rejections. The registry belongs to the [`crate::AppState`]: no
//! global recorder, so each state (and each test) counts on its own.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// The gauges' values, read from the running process when metrics are rendered.
#[derive(Debug, Clone, Copy, Default)]
pub struct Gauges {
    pub pool_size: u32,
    pub pool_idle: usize,
    pub pool_max: u32,
    pub link_checks: usize,
    pub outbound: usize,
    /// Fence rounds run since start (PostgreSQL; 0 on SQLite), and of those the snapshot
    /// reads made here (the others were answered by the host's fence leader).
    pub fence_rounds: u64,
    pub fence_reads: u64,
    /// Federation jobs in the database queue (shared by every process): all, and due now.
    /// `None` when the database did not answer.
    pub federation_jobs: Option<(i64, i64)>,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    /// The route template (`/api/v1/accounts/{id}`), never the raw path: bounded labels.
    pub route: String,
    pub status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CacheLabels {
    pub cache: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ThrottleLabels {
    pub throttle: &'static str,
}

type HistogramFamily = Family<RequestLabels, Histogram, fn() -> Histogram>;

/// The hits and misses of one cache, counted by the cache itself.
#[derive(Debug, Clone, Default)]
pub struct CacheCounters {
    pub hits: Counter,
    pub misses: Counter,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: HistogramFamily,
    cache_hits: Family<CacheLabels, Counter>,
    cache_misses: Family<CacheLabels, Counter>,
    rate_limited: Family<ThrottleLabels, Counter>,
    pool_size: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
    link_checks: Gauge,
    outbound: Gauge,
    jobs_queued: Gauge,
    jobs_due: Gauge,
    fence_rounds: Counter,
    fence_reads: Counter,
    /// Held while the fence counters are carried over, so two scrapes at once add once.
    carrying: std::sync::Mutex<()>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

fn latency_histogram() -> Histogram {
    // 0.1 ms … about 3.3 s.
    Histogram::new(exponential_buckets(0.0001, 2.0, 16))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("woolly");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: HistogramFamily = Family::new_with_constructor(latency_histogram);
        let cache_hits = Family::<CacheLabels, Counter>::default();
        let cache_misses = Family::<CacheLabels, Counter>::default();
        let rate_limited = Family::<ThrottleLabels, Counter>::default();
        let (pool_size, pool_idle, pool_max) =
            (Gauge::default(), Gauge::default(), Gauge::default());
        let (link_checks, outbound) = (Gauge::default(), Gauge::default());
        let (jobs_queued, jobs_due) = (Gauge::default(), Gauge::default());
        let (fence_rounds, fence_reads) = (Counter::default(), Counter::default());
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by method, route template and status",
            latency.clone(),
        );
        registry.register(
            "cache_hits",
            "Rendered entities served from memory",
            cache_hits.clone(),
        );
        registry.register(
            "cache_misses",
            "Rendered entities read and rendered again",
            cache_misses.clone(),
        );
        registry.register(
            "rate_limited",
            "Requests refused with 429, by throttle",
            rate_limited.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Database connections open in this process's pool",
            pool_size.clone(),
        );
        registry.register(
            "db_pool_idle_connections",
            "Open database connections not in use",
            pool_idle.clone(),
        );
        registry.register(
            "db_pool_max_connections",
            "The pool's upper bound",
            pool_max.clone(),
        );
        registry.register(
            "profile_link_checks_running",
            "Profile-link (rel=me) checks queued or running in this process",
            link_checks.clone(),
        );
        registry.register(
            "outbound_requests_in_flight",
            "Outbound HTTP requests holding a fetch slot",
            outbound.clone(),
        );
        registry.register(
            "federation_jobs_queued",
            "Federation jobs (deliveries, fan-outs, inbound activities) in the queue, all processes'",
            jobs_queued.clone(),
        );
        registry.register(
            "federation_jobs_due",
            "Queued federation jobs whose time has come (a backlog when it keeps growing)",
            jobs_due.clone(),
        );
        registry.register(
            "fence_rounds",
            "Fence rounds before API requests (PostgreSQL), each shared by the requests waiting",
            fence_rounds.clone(),
        );
        registry.register(
            "fence_snapshot_reads",
            "Fence rounds that read PostgreSQL's snapshot in this process (the others asked the host's fence leader)",
            fence_reads.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            cache_hits,
            cache_misses,
            rate_limited,
            pool_size,
            pool_idle,
            pool_max,
            link_checks,
            outbound,
            jobs_queued,
            jobs_due,
            fence_rounds,
            fence_reads,
            carrying: std::sync::Mutex::new(()),
        }
    }
}

impl Metrics {
    /// The counters a cache named `cache` bumps (registered here).
    pub fn cache_counters(&self, cache: &'static str) -> CacheCounters {
        let labels = CacheLabels { cache };
        CacheCounters {
            hits: self.cache_hits.get_or_create(&labels).clone(),
            misses: self.cache_misses.get_or_create(&labels).clone(),
        }
    }

    pub fn count_rate_limited(&self, throttle: &'static str) {
        self.rate_limited
            .get_or_create(&ThrottleLabels { throttle })
            .inc();
    }

    pub fn observe_request(&self, labels: &RequestLabels, seconds: f64) {
        self.requests.get_or_create(labels).inc();
        self.latency.get_or_create(labels).observe(seconds);
    }

    /// The OpenMetrics text of every metric, with the gauges read just now.
    pub fn render(&self, now: &Gauges) -> Result<String, std::fmt::Error> {
        let gauge = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        self.link_checks.set(gauge(now.link_checks));
        self.outbound.set(gauge(now.outbound));
        self.pool_size.set(i64::from(now.pool_size));
        self.pool_idle.set(gauge(now.pool_idle));
        self.pool_max.set(i64::from(now.pool_max));
        // Counters kept by the fence itself: carried over by what they grew since the last scrape.
        let _carrying = self.carrying.lock();
        for (counter, total) in [
            (&self.fence_rounds, now.fence_rounds),
            (&self.fence_reads, now.fence_reads),
        ] {
            counter.inc_by(total.saturating_sub(counter.get()));
        }
        if let Some((queued, due)) = now.federation_jobs {
            self.jobs_queued.set(queued);
            self.jobs_due.set(due);
        }
        let mut out = String::with_capacity(8 * 1024);
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}
