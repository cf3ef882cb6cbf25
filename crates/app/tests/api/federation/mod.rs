//! Federation: served documents, the two-instance flow, moves, the delivery queue.

mod availability;
mod documents;
pub(crate) mod flow;
mod moves;
mod queue;
mod statuses;
