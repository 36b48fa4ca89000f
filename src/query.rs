//! The query language: statements run in order against a scenario. The
//! command line and (later) the REPL both go through [`Session`], so that a
//! statement means the same wherever it is typed.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::diagnostic::{Kind, Problem, Problems, Source, attach};
use crate::eval::antidilution::{self, Issuance};
use crate::eval::approval::{self, ApprovalOutcome};
use crate::eval::breakpoints::{self, Breakpoints, Step, Sweep};
use crate::eval::convert::{self, ConvertOutcome};
use crate::eval::dividends::{self, Accrual, Declaration};
use crate::eval::ipo::{self, IpoOutcome, Offering};
use crate::eval::redemption::{self, RedeemOutcome};
use crate::eval::scenario::{Adjustment, Scenario, at};
use crate::eval::vote::{self, VoteOutcome};
use crate::eval::votes::{self, Board, ClassVotes};
use crate::eval::{self, Payout};
use crate::ir::{Charter, Cite, ClassId};
use crate::num::Checked;
use crate::syntax::ast::{CurveStep, Query, Spanned};
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
            | Query::Prices
            | Query::Explain { .. }
            | Query::Votes
            | Query::Board(_)
            | Query::Accrued { .. }
    )
}

/// The sampling of a `curve` statement: 100 steps unless it says otherwise.
fn curve_step(step: Option<&CurveStep>) -> Result<Step, Problem> {
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
    /// A session on `charter`, with no events.
    pub fn new(charter: &Charter) -> Self {
        Session {
            scenario: Scenario::new(charter),
        }
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
            .and_then(|()| curve_step(step.as_ref()))
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
        let s = &mut self.scenario;
        match query {
            Query::Payout { amount, event } => {
                // Accrued dividends are part of a preference that adds them.
                dividends::set_accrued(s).map_err(|k| at(k, amount.span))?;
                eval::payout(&s.charter, amount, event.as_ref()).map(Answer::Payout)
            }
            Query::Breakpoints { event, upto, span } => {
                dividends::set_accrued(s).map_err(|k| at(k, *span))?;
                breakpoints::breakpoints(&s.charter, event.as_ref(), upto.as_ref(), *span)
                    .map(Answer::Breakpoints)
            }
            Query::Curve {
                from,
                to,
                step,
                event,
            } => {
                dividends::set_accrued(s).map_err(|k| at(k, from.span))?;
                let step = curve_step(step.as_ref())?;
                let sweep = Sweep::new(&s.charter, from, to, step, event.as_ref())?;
                let rows = sweep.rows().map_err(|k| at(k, to.span))?;
                if rows > breakpoints::STATEMENT_ROWS {
                    return Err(Problem::new(
                        Kind::Unsupported(format!(
                            "a `curve` statement reads at most {} exits; this one reads {rows}",
                            breakpoints::STATEMENT_ROWS
                        )),
                        to.span,
                        "this range",
                    )
                    .with_help("take fewer steps, or run `charter curve FILE FROM TO --steps N`, which streams any number of rows"));
                }
                Ok(Answer::Curve(Box::new(sweep)))
            }
            Query::Declare { amount, to, date } => {
                let to: Vec<ClassId> =
                    to.iter().map(|c| self.class(c)).collect::<Result<_, _>>()?;
                let s = &mut self.scenario;
                let date = s.advance(date.as_ref(), text)?;
                if amount.node.round_dp(2) != amount.node {
                    return Err(Problem::new(
                        Kind::BadNumber(format!("`{}` has fractions of a cent", amount.node)),
                        amount.span,
                        "this amount",
                    ));
                }
                let d = dividends::declare(s, amount.node, date, &to)
                    .map_err(|k| at(k, amount.span))?;
                s.events.push(text.to_string());
                Ok(Answer::Declaration(d))
            }
            Query::Redeem {
                date,
                funds,
                requests,
                fmv,
                upon_transaction,
            } => {
                let mut reqs = Vec::new();
                for (class, pct) in requests {
                    reqs.push((self.class(class)?, pct.node));
                }
                let s = &mut self.scenario;
                let when = s.advance(Some(date), text)?;
                let r = redemption::redeem(
                    s,
                    when,
                    *upon_transaction,
                    funds.as_ref().map(|f| f.node),
                    &reqs,
                    fmv.as_ref().map(|v| v.node),
                )
                .map_err(|k| at(k, date.span))?;
                s.events.push(text.to_string());
                Ok(Answer::Redeem(r))
            }
            Query::Accrued { class, date } => {
                let ids: Vec<ClassId> = match class {
                    Some(c) => vec![self.class(c)?],
                    None => (0..self.scenario.charter.classes.len()).collect(),
                };
                let s = &self.scenario;
                let when = date.as_ref().map_or(s.date, |d| d.node);
                if when < s.date
                    && let Some(d) = date
                {
                    return Err(Problem::new(
                        Kind::Impossible(format!("the scenario already stands at {}", s.date)),
                        d.span,
                        "earlier than the scenario",
                    )
                    .with_help("ask before the later events, or give a later date"));
                }
                let mut list = Vec::new();
                for id in ids {
                    if let Some(a) =
                        dividends::accrued(s, id, when).map_err(|k| at(k, Default::default()))?
                    {
                        list.push(a);
                    }
                }
                if list.is_empty() {
                    let span = class.as_ref().map(|c| c.span).unwrap_or_default();
                    return Err(Problem::new(
                        Kind::Impossible("no class here has cumulative dividends".to_string()),
                        span,
                        "here",
                    )
                    .with_help(
                        "dividends here are paid only when declared; see `declare dividend $X`",
                    ));
                }
                Ok(Answer::Accrued(list))
            }
            Query::Issue {
                count,
                class,
                price,
                fees,
                date,
                excluded,
            } => {
                let id = self.class(class)?;
                let s = &mut self.scenario;
                let date = s.advance(date.as_ref(), text)?;
                let fail = |k: Kind| at(k, count.span);
                let c = s
                    .charter
                    .classes
                    .get(id)
                    .cloned()
                    .ok_or_else(|| fail(Kind::UnknownClass(class.node.clone())))?;
                // Shares beyond those authorized cannot simply be issued:
                // the charter must first be amended, which takes its own
                // consents.
                let after = c
                    .outstanding
                    .add(count.node, "shares outstanding")
                    .map_err(fail)?;
                if let Some(authorized) = c.authorized.filter(|a| after > *a) {
                    return Err(Problem::new(
                        Kind::IssueAboveAuthorized {
                            class: c.name.clone(),
                            count: crate::num::shares(count.node),
                            after: crate::num::shares(after),
                            authorized: crate::num::shares(authorized),
                        },
                        count.span,
                        "more than may be issued",
                    )
                    .with_help(
                        "an issue beyond the authorized shares needs a charter amendment first; \
                         `approve change-authorized-preferred` (or `amend-charter-adversely`) shows \
                         the consents it takes, and the amended figure goes in the stock block's \
                         `authorized` (`:replace` in the REPL)",
                    ));
                }
                // Preferred issued is deemed an issue of the common it converts into.
                let shares = if c.common {
                    count.node
                } else {
                    count
                        .node
                        .mul(c.ratio.unwrap_or(Decimal::ONE), "shares as converted")
                        .map_err(fail)?
                };
                let gross = count.node.mul(price.node, "consideration").map_err(fail)?;
                let start = s.log.len();
                antidilution::adjust(
                    s,
                    &Issuance {
                        shares,
                        gross,
                        fees: fees.as_ref().map_or(Decimal::ZERO, |f| f.node),
                        excluded: excluded.as_ref(),
                        implicit: &[],
                        span: count.span,
                        text,
                        date,
                    },
                )?;
                if let Some(x) = Arc::make_mut(&mut s.charter).classes.get_mut(id) {
                    x.outstanding = after;
                }
                s.events.push(text.to_string());
                Ok(event_answer(s, start, text))
            }
            Query::Grant {
                count,
                price,
                vested,
                date,
                excluded,
            } => {
                let date = s.advance(date.as_ref(), text)?;
                let fail = |k: Kind| at(k, count.span);
                let common = s.common().ok_or_else(|| {
                    Problem::new(
                        Kind::Impossible(
                            "the charter declares no common stock to grant options on".to_string(),
                        ),
                        count.span,
                        "here",
                    )
                })?;
                if let Some(v) = vested
                    && v.node > count.node
                {
                    return Err(Problem::new(
                        Kind::BadNumber("more options vested than granted".to_string()),
                        v.span,
                        "vested",
                    )
                    .with_help("the vested count is at most the number granted"));
                }
                let gross = count.node.mul(price.node, "exercise price").map_err(fail)?;
                let start = s.log.len();
                // Options are deemed issued at their minimum exercise price.
                antidilution::adjust(
                    s,
                    &Issuance {
                        shares: count.node,
                        gross,
                        fees: Decimal::ZERO,
                        excluded: excluded.as_ref(),
                        implicit: &[],
                        span: count.span,
                        text,
                        date,
                    },
                )?;
                let cite = Cite {
                    section: None,
                    span: Default::default(),
                    clause: text.into(),
                };
                s.add_options(
                    count.node,
                    vested.as_ref().map_or(count.node, |v| v.node),
                    price.node,
                    common,
                    cite,
                );
                s.events.push(text.to_string());
                Ok(event_answer(s, start, text))
            }
            Query::Split {
                combine,
                new,
                old,
                date,
            } => {
                let start = s.log.len();
                s.split(new, old, *combine, date.as_ref(), text)?;
                Ok(event_answer(s, start, text))
            }
            Query::Ipo {
                price,
                gross,
                net,
                filed,
                date,
            } => ipo::apply(
                s,
                &Offering {
                    price,
                    gross,
                    net: net.as_ref(),
                    filed: filed.as_ref(),
                    date: date.as_ref(),
                },
                text,
            )
            .map(Answer::Ipo),
            Query::Prices => Ok(Answer::Prices(
                s.charter
                    .classes
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| !c.common)
                    .map(|(id, c)| PriceLine {
                        name: c.name.clone(),
                        price: s.prices.get(id).copied().flatten(),
                        ratio: c.ratio,
                        converted: s.converted.get(id).cloned().flatten(),
                        adjustments: s.log.iter().filter(|a| a.class == id).cloned().collect(),
                    })
                    .collect(),
            )),
            Query::Convert {
                class,
                holder,
                fmv,
                funds,
            } => {
                let id = self.class(class)?;
                convert::convert(
                    &self.scenario,
                    id,
                    &convert::Given {
                        holder: holder.as_ref(),
                        fmv: fmv.as_ref(),
                        funds: funds.as_ref(),
                    },
                    class.span,
                )
                .map(Answer::Convert)
            }
            Query::Explain { class } => {
                let id = self.class(class)?;
                let s = &self.scenario;
                let original = s.original.classes.get(id);
                let now = s.charter.classes.get(id);
                Ok(Answer::Explain(Explanation {
                    name: now.map(|c| c.name.clone()).unwrap_or_default(),
                    initial: original.and_then(|c| c.conversion_price),
                    initial_cite: original.map(|c| Cite {
                        section: None,
                        span: c.span,
                        clause: format!("stock {}", c.ident).into(),
                    }),
                    issue_price: original.and_then(|c| c.issue_price),
                    adjustments: s.log.iter().filter(|a| a.class == id).cloned().collect(),
                    price: s.prices.get(id).copied().flatten(),
                    ratio: now.and_then(|c| c.ratio),
                    issue_price_now: s
                        .charter
                        .antidilution
                        .iter()
                        .find(|b| b.classes.contains(&id))
                        .and_then(|b| b.issue_price.as_ref())
                        .zip(now.and_then(|c| c.issue_price))
                        .map(|((_, cite), ip)| (ip, cite.clone())),
                }))
            }
            Query::Approve {
                action,
                price,
                date,
                affecting,
                kept,
                votes: items,
                holders,
                counted,
            } => {
                let mut votes: Vec<(ClassId, Spanned<Decimal>)> = Vec::new();
                for (class, pct) in items {
                    let id = self.class(class)?;
                    if votes.iter().any(|v| v.0 == id) {
                        return Err(Problem::new(
                            Kind::Duplicate(format!("the vote of `{}`", class.node)),
                            class.span,
                            "named again here",
                        )
                        .with_help("give each class one percentage"));
                    }
                    votes.push((id, pct.clone()));
                }
                if action.node == "conversion" {
                    // Named holders' votes would be dropped without a word.
                    if let Some((name, _)) = holders.first() {
                        return Err(Problem::new(
                            Kind::Impossible(format!(
                                "\"{}\" votes, but a conversion vote counts each class's shares, not named holders",
                                name.node
                            )),
                            name.span,
                            "not counted in a conversion vote",
                        )
                        .with_help("give each class's share voting for: `approve conversion with A 70%, B 100%`"));
                    }
                    if !*counted {
                        return Err(Problem::new(
                            Kind::MissingFact("conversion by a vote needs the votes".to_string()),
                            action.span,
                            "no votes given",
                        )
                        .with_help("add `with SERIES P%, ...`"));
                    }
                    return vote::approve(&mut self.scenario, &votes, text).map(Answer::Vote);
                }
                let s = &self.scenario;
                let description = crate::ir::STANDARD_ACTIONS
                    .iter()
                    .find(|(w, _)| *w == action.node)
                    .map(|(_, d)| d.to_string())
                    .or_else(|| {
                        s.charter
                            .protective
                            .actions
                            .iter()
                            .find(|a| a.0 == action.node)
                            .map(|a| a.1.clone())
                    })
                    .ok_or_else(|| {
                        crate::check::unknown_action(
                            &action.node,
                            action.span,
                            &s.charter.protective,
                        )
                    })?;
                let mut affected = Vec::new();
                for a in affecting {
                    affected.push(self.class(a)?);
                }
                for (name, _) in holders {
                    if !s.charter.holders.iter().any(|h| h.name == name.node) {
                        let known: Vec<String> = s
                            .charter
                            .holders
                            .iter()
                            .map(|h| format!("\"{}\"", h.name))
                            .collect();
                        return Err(Problem::new(
                            Kind::Impossible(format!("\"{}\" is not a named holder", name.node)),
                            name.span,
                            "not in the `holders` block",
                        )
                        .with_help(if known.is_empty() {
                            "this charter names no holders".to_string()
                        } else {
                            format!("named holders: {}", known.join(", "))
                        }));
                    }
                }
                let facts = approval::Facts {
                    price: price.as_ref().map(|p| p.node),
                    date: date.as_ref().map(|d| d.node),
                    affecting: affected,
                    kept: kept.as_ref().map(|k| k.node),
                    votes: if *counted {
                        Some(votes.iter().map(|(c, p)| (*c, p.node)).collect())
                    } else {
                        None
                    },
                    holders: holders.iter().map(|(n, v)| (n.node.clone(), *v)).collect(),
                };
                approval::approve(s, &action.node, description, &facts)
                    .map(Answer::Approval)
                    .map_err(|k| at(k, action.span))
            }
            Query::Votes => votes::power(&self.scenario)
                .map(Answer::Votes)
                .map_err(|k| at(k, Default::default())),
            Query::Board(size) => {
                let n = match size {
                    Some(n) => Some(
                        u32::try_from(n.node.trunc().mantissa())
                            .ok()
                            .filter(|_| n.node.fract().is_zero() && n.node > Decimal::ZERO)
                            .ok_or_else(|| {
                                Problem::new(
                                    Kind::BadNumber(
                                        "a board has a whole number of directors".to_string(),
                                    ),
                                    n.span,
                                    "this size",
                                )
                            })?,
                    ),
                    None => None,
                };
                votes::board(&self.scenario, n)
                    .map(Answer::Board)
                    .map_err(|k| at(k, Default::default()))
            }
            Query::On(d) => {
                s.advance(Some(d), text)?;
                s.events.push(text.to_string());
                Ok(Answer::Date(s.date))
            }
        }
    }
}

/// The answer to an event: the adjustments logged since `start`.
fn event_answer(s: &Scenario, start: usize, text: &str) -> Answer {
    Answer::Event {
        text: text.to_string(),
        adjustments: s.log.get(start..).unwrap_or(&[]).to_vec(),
    }
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
