//! Analyses across exits, built on the exit curve that `eval` walks: goal
//! seek ([`solve`]). `query`, the command line and the REPL call these; they
//! sit above `eval` and below `query`.

pub mod party;
pub mod solve;
