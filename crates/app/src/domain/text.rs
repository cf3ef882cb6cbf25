//! Text formatting lives in the `woolly-text` crate (pure, separately tested); re-exported
//! here so services reach it as `domain::text`.

pub use woolly_text::*;
