//! Analyses across exits, built on the exit curve that `eval` walks: goal
//! seek ([`solve`]), the comparison of two charters ([`compare`], with the
//! clauses that differ, [`clauses`]) and what a payout chart draws
//! ([`chart`]), and the option pricing method's value of each class
//! ([`value`]). `query`, the command line and the REPL call these; they
//! sit above `eval` and below `query`.

pub mod backsolve;
pub mod chart;
pub mod clauses;
pub mod compare;
pub mod party;
pub mod rows;
pub mod solve;
pub mod value;
