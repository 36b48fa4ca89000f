//! Statements of the query language: one builder per statement form, in
//! one file per family (as `query/` handles them).

use super::*;
use pest::iterators::Pairs;

mod consents;
mod conversion;
mod events;
mod exits;
mod holdings;

/// Builds a statement from its parse.
pub(super) fn statement(stmt: P) -> Result<Query, Problem> {
    let rule = stmt.as_rule();
    let span = in_file(stmt.as_span().start(), stmt.as_span().end());
    let mut inner = stmt.into_inner();
    Ok(match rule {
        Rule::payout_query => exits::payout(inner)?,
        Rule::breakpoints_query => exits::breakpoints(inner, span)?,
        Rule::curve_query => exits::curve(inner)?,
        Rule::solve_query => exits::solve(inner)?,
        Rule::value_query => exits::value(inner)?,
        Rule::issue_event => events::issue(inner)?,
        Rule::grant_event => events::grant(inner)?,
        Rule::split_event | Rule::combine_event => {
            events::split(inner, rule == Rule::combine_event)?
        }
        Rule::dividend_event => events::stock_dividend(inner)?,
        Rule::ipo_event => events::ipo(inner)?,
        Rule::prices_query => Query::Prices,
        Rule::convert_query => conversion::convert(inner)?,
        Rule::explain_query => Query::Explain {
            class: class_ref(next(&mut inner)?)?,
        },
        Rule::date_statement => Query::On(self::date(next(&mut inner)?)?),
        Rule::approve_conversion => consents::approve(inner)?,
        Rule::votes_query => Query::Votes,
        Rule::declare_dividend => holdings::declare(inner)?,
        Rule::redeem_event => holdings::redeem(inner)?,
        Rule::accrued_query => holdings::accrued(inner)?,
        Rule::board_query => Query::Board(inner.next().map(decimal).transpose()?),

        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

pub(super) fn spanned_statement(pair: P) -> Result<Spanned<Query>, Problem> {
    let span = span_of(&pair);
    Ok(Spanned {
        node: statement(pair)?,
        span,
    })
}
