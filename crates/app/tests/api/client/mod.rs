//! Per-user client state and discovery: directory, domain blocks, markers, suggestions.

mod directory;
mod domain_blocks;
mod markers;
mod suggestions;
