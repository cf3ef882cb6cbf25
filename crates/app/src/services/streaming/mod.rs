//! The streaming API's side of the services: the event bus, who may stream what, one
//! connection's subscriptions, and what services publish after they commit. The wire
//! formats (SSE, WebSocket) are the handlers' business.

pub mod bus;
pub mod publish;
pub mod redis_bus;
pub mod session;
pub mod streams;

pub use bus::{Event, EventBus, LocalBus};
pub use publish::Outbox;
pub use redis_bus::RedisBus;
