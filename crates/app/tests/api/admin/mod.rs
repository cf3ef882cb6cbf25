//! The admin API (`/api/v1/admin/*`, `/api/v2/admin/*`) and reports.

mod account_warnings;
mod accounts_actions;
mod accounts_list;
mod accounts_plans;
mod action_logs;
mod authz;
mod console;
mod domain_blocks;
mod reports;
pub mod support;
