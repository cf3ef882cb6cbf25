//! Federation: served documents, the two-instance flow, the delivery queue.

mod documents;
mod flow;
mod queue;
mod statuses;
