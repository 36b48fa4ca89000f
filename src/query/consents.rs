//! Consent statements: `approve`, `votes`, `board`.

use rust_decimal::Decimal;

use super::{Answer, Session, misrouted};
use crate::diagnostic::{Kind, Problem};
use crate::eval::approval;
use crate::eval::scenario::at;
use crate::eval::vote;
use crate::eval::votes;
use crate::ir::ClassId;
use crate::syntax::ast::{Query, Spanned};

impl Session {
    /// `approve ACTION ...`: every consent the action needs, and whether the votes given meet it.
    pub(super) fn approve(&mut self, query: &Query, text: &str) -> Result<Answer, Problem> {
        let Query::Approve {
            action,
            price,
            date,
            affecting,
            kept,
            votes: items,
            holders,
            counted,
        } = query
        else {
            return Err(misrouted(query));
        };
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
                crate::check::unknown_action(&action.node, action.span, &s.charter.protective)
            })?;
        let mut affected = Vec::new();
        for a in affecting {
            affected.push(self.class(a)?);
        }
        for (name, _) in holders {
            named_holder(&s.charter, name)?;
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

    /// `votes`: each class's and holder's voting power.
    pub(super) fn votes(&mut self) -> Result<Answer, Problem> {
        votes::power(&self.scenario)
            .map(Answer::Votes)
            .map_err(|k| at(k, Default::default()))
    }

    /// `board [N]`: who elects the directors.
    pub(super) fn board(&mut self, query: &Query) -> Result<Answer, Problem> {
        let Query::Board(size) = query else {
            return Err(misrouted(query));
        };
        let n = match size {
            Some(n) => Some(
                u32::try_from(n.node.trunc().mantissa())
                    .ok()
                    .filter(|_| n.node.fract().is_zero() && n.node > Decimal::ZERO)
                    .ok_or_else(|| {
                        Problem::new(
                            Kind::BadNumber("a board has a whole number of directors".to_string()),
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
}

/// A holder a vote names must be one the `holders` block names.
fn named_holder(charter: &crate::ir::Charter, name: &Spanned<String>) -> Result<(), Problem> {
    if charter.holders.iter().any(|h| h.name == name.node) {
        return Ok(());
    }
    let known: Vec<String> = charter
        .holders
        .iter()
        .map(|h| format!("\"{}\"", h.name))
        .collect();
    Err(Problem::new(
        Kind::Impossible(format!("\"{}\" is not a named holder", name.node)),
        name.span,
        "not in the `holders` block",
    )
    .with_help(if known.is_empty() {
        "this charter names no holders".to_string()
    } else {
        format!("named holders: {}", known.join(", "))
    }))
}
