//! The query language: one statement, parsed and run against a charter.
//! The command line and (later) the REPL both go through here, so that a
//! statement means the same wherever it is typed.

use crate::diagnostic::{Problems, Source, attach};
use crate::eval::{self, Payout};
use crate::ir::Charter;
use crate::syntax::{ast::Query, parse_query};

/// The answer to a statement.
#[derive(Debug, Clone)]
pub enum Answer {
    /// The answer to `payout`.
    Payout(Payout),
}

/// Parses and runs `text` against `charter`. Problems point into `text`,
/// named `origin` (for example `query` or `command line`).
pub fn run(charter: &Charter, origin: &str, text: &str) -> Result<Answer, Problems> {
    let source = Source::new(origin, text);
    let query = parse_query(text).map_err(|p| attach(vec![p], &source))?;
    match query {
        Query::Payout { amount, event } => eval::payout(charter, &amount, event.as_ref())
            .map(Answer::Payout)
            .map_err(|p| attach(vec![p], &source)),
    }
}
