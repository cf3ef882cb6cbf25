//! HTTP edges every route shares: client addresses behind proxies, CORS, rate limits and
//! trailing slashes.

mod client_ip;
mod cors;
mod ratelimit;
mod trailing_slash;
