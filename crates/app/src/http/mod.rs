//! The HTTP layer: routing, extraction, middleware, handlers. Handlers are thin: extract,
//! authorize, call one service, render.

pub mod extract;
pub mod handlers;
pub mod json_body;
pub mod middleware;
pub mod pagination;
pub mod router;

pub use router::router;
