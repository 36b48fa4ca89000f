//! Cap tables in and out of other formats: the Open Cap Format ([`ocf`]).
//!
//! An import writes `.charter` text (the checker then reads it like any
//! other file); an export reads a checked [`crate::ir::Charter`] and the
//! scenario events run on it. Neither is a stage of the pipeline: they sit
//! beside `syntax` and `render` at its two ends.

pub mod ocf;
