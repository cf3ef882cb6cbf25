//! What an operator watches: the health answer and the Prometheus metrics.

pub mod health;
pub mod metrics;
pub mod metrics_http;
