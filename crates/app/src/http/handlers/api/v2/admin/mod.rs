//! `/api/v2/admin/…`

pub mod accounts;
