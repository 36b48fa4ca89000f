//! The query language: statements run in order against a scenario. The
//! command line and (later) the REPL both go through [`Session`], so that a
//! statement means the same wherever it is typed.

mod consents;
mod conversion;
mod events;
mod exits;
mod holdings;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::analysis::solve::Solved;
use crate::analysis::value::Valuation;
use crate::diagnostic::{Kind, Problem, Problems, Source, attach};
use crate::eval::approval::ApprovalOutcome;
use crate::eval::breakpoints::Breakpoints;
use crate::eval::convert::ConvertOutcome;
use crate::eval::dividends::{self, Accrual, Declaration};
use crate::eval::ipo::IpoOutcome;
use crate::eval::redemption::RedeemOutcome;
use crate::eval::scenario::{Adjustment, Scenario, at};
use crate::eval::sweep::Sweep;
use crate::eval::vote::VoteOutcome;
use crate::eval::votes::{Board, ClassVotes};
use crate::eval::{self, Payout};
use crate::ir::{Charter, Cite, ClassId};
use crate::syntax::ast::{Query, Spanned};
use crate::syntax::parse_query;

/// One class's conversion terms as they stand.
#[derive(Debug, Clone)]
pub struct PriceLine {
    /// Display name.
    pub name: String,
    /// Current conversion price, where the class has one.
    pub price: Option<Decimal>,
    /// Common shares per share.
    pub ratio: Option<Decimal>,
    /// How it converted, if it has.
    pub converted: Option<String>,
    /// The adjustments that made the price what it is.
    pub adjustments: Vec<Adjustment>,
}

/// The answer to `explain conversion price X`.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// Display name.
    pub name: String,
    /// The price the charter sets, and where.
    pub initial: Option<Decimal>,
    /// The stock block's citation for it.
    pub initial_cite: Option<Cite>,
    /// The original issue price, numerator of the ratio.
    pub issue_price: Option<Decimal>,
    /// Every adjustment since.
    pub adjustments: Vec<Adjustment>,
    /// The price now.
    pub price: Option<Decimal>,
    /// The ratio now.
    pub ratio: Option<Decimal>,
    /// Where the original issue price moves with the conversion price
    /// (`original issue price adjusted likewise`): its amount now, and the
    /// clause.
    pub issue_price_now: Option<(Decimal, Cite)>,
}

/// The answer to a statement.
#[derive(Debug, Clone)]
pub enum Answer {
    /// `payout`.
    Payout(Payout),
    /// `issue`, `grant`, `split`, `combine`: what the event adjusted.
    Event {
        /// The statement.
        text: String,
        /// The adjustments it made (and adjustments it carried forward).
        adjustments: Vec<Adjustment>,
    },
    /// `ipo`.
    Ipo(IpoOutcome),
    /// `conversion prices`.
    Prices(Vec<PriceLine>),
    /// `convert`.
    Convert(ConvertOutcome),
    /// `explain conversion price`.
    Explain(Explanation),
    /// `on DATE`.
    Date(NaiveDate),
    /// `approve conversion`.
    Vote(VoteOutcome),
    /// `approve ACTION`.
    Approval(ApprovalOutcome),
    /// `votes`.
    Votes(Vec<ClassVotes>),
    /// `board`.
    Board(Board),
    /// `declare dividend`.
    Declaration(Declaration),
    /// `accrued`.
    Accrued(Vec<Accrual>),
    /// `redeem`.
    Redeem(RedeemOutcome),
    /// `breakpoints`.
    Breakpoints(Breakpoints),
    /// `curve`.
    Curve(Box<Sweep>),
    /// `solve exit where ...`.
    Solve(Solved),
    /// `value at ...`.
    Value(Box<Valuation>),
}

/// A charter and the events applied to it so far.
#[derive(Debug, Clone)]
pub struct Session {
    /// The scenario.
    pub scenario: Scenario,
}

/// Whether a statement can change the scenario. One that cannot needs no
/// copy of the scenario to restore if it fails, and copying the charter was
/// a third of a payout's time. (`payout`, `breakpoints` and `curve` bring
/// accrued dividends up to the scenario's date first, a function of the
/// scenario alone that every reader of them recomputes, so a failure part
/// way leaves nothing a later statement would read differently.)
fn changes_scenario(query: &Query) -> bool {
    !matches!(
        query,
        Query::Payout { .. }
            | Query::Breakpoints { .. }
            | Query::Curve { .. }
            | Query::Solve { .. }
            | Query::Value { .. }
            | Query::Prices
            | Query::Explain { .. }
            | Query::Votes
            | Query::Board(_)
            | Query::Accrued { .. }
    )
}

impl Session {
    /// A session on `charter`, with no events.
    pub fn new(charter: &Charter) -> Self {
        Session {
            scenario: Scenario::new(charter),
        }
    }

    /// A session on a charter already shared: no copy of it is made until
    /// an event changes it (the page's requests share the charters it has
    /// checked).
    pub fn shared(charter: std::sync::Arc<Charter>) -> Self {
        Session {
            scenario: Scenario::shared(charter),
        }
    }

    /// The scenario's charter as the analyses across exits read it: with
    /// accrued dividends brought up to the scenario's date, as `payout`
    /// does.
    pub fn for_exits(&mut self) -> Result<&Charter, Problem> {
        dividends::set_accrued(&mut self.scenario).map_err(|k| at(k, Default::default()))?;
        Ok(&self.scenario.charter)
    }

    /// Parses and runs one statement. Problems point into `text`, named
    /// `origin`. A statement that fails leaves the scenario as it was.
    pub fn run(&mut self, origin: &str, text: &str) -> Result<Answer, Problems> {
        let source = Source::new(origin, text);
        let query = parse_query(text).map_err(|p| attach(vec![p], &source))?;
        self.run_statement(&query, text.trim(), crate::ir::Span::new(0, text.len()))
            .map_err(|p| attach(vec![p], &source))
    }

    /// Parses a `curve` statement and prepares its sweep, with no bound on
    /// its rows: the command line streams them.
    pub fn sweep(&mut self, origin: &str, text: &str) -> Result<Sweep, Problems> {
        let source = Source::new(origin, text);
        let query = parse_query(text).map_err(|p| attach(vec![p], &source))?;
        let Query::Curve {
            from,
            to,
            step,
            event,
        } = &query
        else {
            return Err(attach(
                vec![Problem::new(
                    Kind::Syntax("expected a `curve` statement".to_string()),
                    crate::ir::Span::new(0, text.len()),
                    "here",
                )],
                &source,
            ));
        };
        let s = &mut self.scenario;
        let built = dividends::set_accrued(s)
            .map_err(|k| at(k, from.span))
            .and_then(|()| exits::curve_step(step.as_ref()))
            .and_then(|step| Sweep::new(&s.charter, from, to, step, event.as_ref()));
        built.map_err(|p| attach(vec![p], &source))
    }

    /// Runs a statement already parsed (from a file, where its spans point);
    /// `text` is the statement as written, for the scenario's event log, and
    /// `span` where it is written. A statement that fails leaves the
    /// scenario as it was.
    pub fn run_statement(
        &mut self,
        query: &Query,
        text: &str,
        span: crate::ir::Span,
    ) -> Result<Answer, Problem> {
        if !changes_scenario(query) {
            return self.apply(query, text).map_err(|p| located(p, span));
        }
        let saved = self.scenario.clone();
        // A statement that moved a conversion price moves the issue prices
        // that follow it before anything reads them again.
        let result = self.apply(query, text).and_then(|a| {
            eval::issue_price::follow(&mut self.scenario)
                .map(|()| a)
                .map_err(|k| at(k, span))
        });
        if result.is_err() {
            self.scenario = saved;
        }
        result.map_err(|p| located(p, span))
    }

    fn class(&self, name: &Spanned<String>) -> Result<ClassId, Problem> {
        self.scenario.charter.find_class(name)
    }

    fn apply(&mut self, query: &Query, text: &str) -> Result<Answer, Problem> {
        // One function per statement kind, grouped by family in the
        // modules beside this one.
        match query {
            Query::Payout { .. } => self.payout(query),
            Query::Breakpoints { .. } => self.breakpoints(query),
            Query::Curve { .. } => self.curve(query),
            Query::Solve { .. } => self.solve(query),
            Query::Value { .. } => self.value(query),
            Query::Declare { .. } => self.declare(query, text),
            Query::Redeem { .. } => self.redeem(query, text),
            Query::Accrued { .. } => self.accrued(query),
            Query::Issue { .. } => self.issue(query, text),
            Query::Grant { .. } => self.grant(query, text),
            Query::Split { .. } => self.split(query, text),
            Query::Ipo { .. } => self.ipo(query, text),
            Query::Prices => self.prices(),
            Query::Convert { .. } => self.convert(query, text),
            Query::Explain { .. } => self.explain(query),
            Query::Approve { .. } => self.approve(query, text),
            Query::Votes => self.votes(),
            Query::Board(..) => self.board(query),
            Query::On(..) => self.on(query, text),
        }
    }
}

/// A statement handed to the handler of another kind: a defect of ours,
/// reported rather than panicked.
fn misrouted(query: &Query) -> Problem {
    Problem::new(
        Kind::Impossible(format!(
            "internal error: a statement was handled as another kind ({query:?})"
        )),
        Default::default(),
        "",
    )
    .with_help("this is a defect in charter; please report it with the statement")
}

/// A problem about the statement as a whole (one no word of it caused, such
/// as "no class here has cumulative dividends") is shown on the whole
/// statement, not on an empty place before its first word.
fn located(mut p: Problem, statement: crate::ir::Span) -> Problem {
    if p.span.start == p.span.end && p.span.start == 0 && statement.end > statement.start {
        p.span = statement;
        p.label = "this statement".to_string();
    }
    p
}

/// Parses and runs one statement against a fresh scenario of `charter`.
pub fn run(charter: &Charter, origin: &str, text: &str) -> Result<Answer, Problems> {
    Session::new(charter).run(origin, text)
}
