//! charter: a language and interpreter for the terms of preferred stock.
//!
//! ```text
//!  .charter text ──parse (pest)──▶ syntax::ast ──check──▶ ir::Charter
//!       grammar/charter.pest        (spans)       names, ranks,   │
//!                                                 validation      │
//!  query text ──parse──▶ ast::Query ──────────────────────────────┤
//!                                                                 ▼
//!                         render ◀── eval::Payout ◀── eval (equilibrium,
//!                  (table, JSON,                        waterfall, cents)
//!                   diagnostics)
//! ```
//!
//! One module per stage: [`syntax`] (text → AST), [`check`] (AST → [`ir`]),
//! [`eval`] (IR → results), [`render`] (results → text), with [`query`]
//! tying a statement to a charter and [`cli`] the command line. Problems
//! at every stage are [`diagnostic::Problem`]s with a stable code and a span.

// The lints that keep panics and overflow out are denied in `Cargo.toml`'s
// `[lints.clippy]` table.

pub mod analysis;
pub mod budget;
pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod eval;
pub mod expect;
pub mod input;
pub mod interchange;
pub mod ir;
pub mod num;
pub mod output;
pub mod query;
pub mod render;
pub mod repl;
pub mod server;
pub mod snapshot;
pub mod syntax;
