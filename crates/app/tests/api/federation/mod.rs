//! Federation: served documents, the two-instance flow, the delivery queue.

mod documents;
pub(crate) mod flow;
mod queue;
