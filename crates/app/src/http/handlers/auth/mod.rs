//! Browser pages under `/auth`.

pub mod confirmation;
