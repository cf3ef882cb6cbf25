//! Federation: served documents, the two-instance flow, moves, the delivery queue.

mod documents;
mod flow;
mod moves;
mod queue;
