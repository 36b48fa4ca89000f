//! Statements across exits: `payout`, `breakpoints`, `curve`, `solve`.

use rust_decimal::Decimal;

use super::{Answer, Session, misrouted};
use crate::diagnostic::{Kind, Problem};
use crate::eval;
use crate::eval::breakpoints;
use crate::eval::dividends;
use crate::eval::scenario::at;
use crate::eval::sweep::{self, Step, Sweep};
use crate::syntax::ast::{CurveStep, EquityBasis, Query};

/// The sampling of a `curve` statement: 100 steps unless it says otherwise.
pub(super) fn curve_step(step: Option<&CurveStep>) -> Result<Step, Problem> {
    match step {
        None => Ok(Step::Count(100)),
        Some(CurveStep::Steps(n)) => {
            let whole = n.node.fract().is_zero() && n.node > Decimal::ZERO;
            match u64::try_from(n.node.mantissa()).ok().filter(|_| whole) {
                Some(k) => Ok(Step::Count(k)),
                None => Err(Problem::new(
                    Kind::BadNumber(format!("`{}` is not a whole number of steps", n.node)),
                    n.span,
                    "the number of steps",
                )
                .with_help("give a whole number of steps of at least 1: `in 100 steps`")),
            }
        }
        Some(CurveStep::By(v)) if v.node > Decimal::ZERO && v.node.round_dp(2) == v.node => {
            Ok(Step::By(v.node))
        }
        Some(CurveStep::By(v)) => Err(Problem::new(
            Kind::BadNumber(format!(
                "`{}` is not a step of whole cents above zero",
                v.node
            )),
            v.span,
            "the step",
        )
        .with_help("give a step in dollars and cents: `by $1M`")),
    }
}

impl Session {
    /// `payout $X [as EVENT]`: each class's and holder's share of an exit, accrued dividends set first.
    pub(super) fn payout(&mut self, query: &Query) -> Result<Answer, Problem> {
        let Query::Payout { amount, event } = query else {
            return Err(misrouted(query));
        };
        let s = &mut self.scenario;
        // Accrued dividends are part of a preference that adds them.
        dividends::set_accrued(s).map_err(|k| at(k, amount.span))?;
        eval::payout(&s.charter, amount, event.as_ref()).map(Answer::Payout)
    }

    /// `breakpoints [as EVENT] [up to $X]`: where the payout bends, and why.
    pub(super) fn breakpoints(&mut self, query: &Query) -> Result<Answer, Problem> {
        let Query::Breakpoints { event, upto, span } = query else {
            return Err(misrouted(query));
        };
        let s = &mut self.scenario;
        dividends::set_accrued(s).map_err(|k| at(k, *span))?;
        breakpoints::breakpoints(&s.charter, event.as_ref(), upto.as_ref(), *span)
            .map(Answer::Breakpoints)
    }

    /// `curve FROM TO ...`: payouts along a range, at most [`sweep::STATEMENT_ROWS`] rows.
    pub(super) fn curve(&mut self, query: &Query) -> Result<Answer, Problem> {
        let Query::Curve {
            from,
            to,
            step,
            event,
        } = query
        else {
            return Err(misrouted(query));
        };
        let s = &mut self.scenario;
        dividends::set_accrued(s).map_err(|k| at(k, from.span))?;
        let step = curve_step(step.as_ref())?;
        let sweep = Sweep::new(&s.charter, from, to, step, event.as_ref())?;
        let rows = sweep.rows().map_err(|k| at(k, to.span))?;
        if rows > sweep::STATEMENT_ROWS {
            return Err(Problem::new(
                Kind::Unsupported(format!(
                    "a `curve` statement reads at most {} exits; this one reads {rows}",
                    sweep::STATEMENT_ROWS
                )),
                to.span,
                "this range",
            )
            .with_help("take fewer steps, or run `charter curve FILE FROM TO --steps N`, which streams any number of rows"));
        }
        Ok(Answer::Curve(Box::new(sweep)))
    }

    /// `solve exit where X receives ...`: the least exit at which a party
    /// receives a target, accrued dividends set first.
    pub(super) fn solve(&mut self, query: &Query) -> Result<Answer, Problem> {
        let Query::Solve {
            party,
            with,
            target,
            event,
        } = query
        else {
            return Err(misrouted(query));
        };
        let s = &mut self.scenario;
        dividends::set_accrued(s).map_err(|k| at(k, target.span))?;
        crate::analysis::solve::solve(&s.charter, (party, with), target, event.as_ref())
            .map(Answer::Solve)
    }

    /// `value at $EQUITY volatility ... term ... rate ...`: each class's
    /// value by the option pricing method, accrued dividends set first.
    pub(super) fn value(&mut self, query: &Query) -> Result<Answer, Problem> {
        let Query::Value {
            equity,
            volatility,
            term,
            rate,
            event,
        } = query
        else {
            return Err(misrouted(query));
        };
        for (x, what) in [(volatility, "a volatility"), (term, "a term")] {
            if x.node <= Decimal::ZERO {
                return Err(Problem::new(
                    Kind::BadNumber(format!("{what} above zero is needed")),
                    x.span,
                    "zero",
                ));
            }
        }
        let s = &mut self.scenario;
        let span = match equity {
            EquityBasis::At(e) => e.span,
            EquityBasis::Solving { price, .. } => price.span,
        };
        dividends::set_accrued(s).map_err(|k| at(k, span))?;
        let market = crate::analysis::backsolve::Market {
            volatility: volatility.node,
            term: term.node,
            rate: rate.node,
        };
        let valued = match equity {
            EquityBasis::At(e) => {
                crate::eval::check_exit(e)?;
                let inputs = crate::analysis::value::Inputs {
                    equity: e.node,
                    volatility: market.volatility,
                    term: market.term,
                    rate: market.rate,
                };
                crate::analysis::value::value(&s.charter, inputs, event.as_ref(), span)
            }
            EquityBasis::Solving { party, price } => crate::analysis::backsolve::backsolve(
                &s.charter,
                market,
                (party, price),
                event.as_ref(),
                span,
            ),
        };
        valued.map(|v| Answer::Value(Box::new(v)))
    }
}
