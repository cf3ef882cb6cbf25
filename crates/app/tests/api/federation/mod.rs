//! Federation: served documents, the two-instance flow, the delivery queue.

mod availability;
mod documents;
mod flow;
mod queue;
