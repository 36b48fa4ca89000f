//! `approve ACTION`: every consent the charter requires for an action, the
//! conditions in force, and, given the votes, whether each is met.
//!
//! A class not named in `with` votes against. A named holder's own vote
//! counts its shares wholly for or against; its class's percentage applies to
//! the class's other shares. Where a consent depends on a fact not given (the
//! price per share, how a named holder votes), the answer says which fact and
//! what each answer would mean, and does not guess.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::scenario::{Scenario, price_text};
use super::votes::{self, ClassVotes};
use crate::diagnostic::Kind;
use crate::ir::{Cite, ClassId, Consent, ConsentCondition, ConsentGroup, Threshold, VoteBasis};
use crate::num::{self, Checked};

mod conditions;

/// The facts and votes an approval is asked with.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Price per share in the transaction.
    pub price: Option<Decimal>,
    /// Date of the vote.
    pub date: Option<NaiveDate>,
    /// Series affected differently from the others.
    pub affecting: Vec<ClassId>,
    /// The share of the surviving entity the stockholders keep.
    pub kept: Option<Decimal>,
    /// The share of each class voting for; `None` when no votes were given.
    pub votes: Option<Vec<(ClassId, Decimal)>>,
    /// Named holders' own votes.
    pub holders: Vec<(String, bool)>,
}

/// One vote counted (or to be counted).
#[derive(Debug, Clone)]
pub struct Count {
    /// Who votes, in words.
    pub voters: String,
    /// The threshold.
    pub threshold: Threshold,
    /// The basis.
    pub basis: VoteBasis,
    /// Votes for, when votes were given.
    pub yes: Option<Decimal>,
    /// Votes in all.
    pub total: Decimal,
    /// Whether it is met, when votes were given.
    pub met: Option<bool>,
}

/// One consent and how it stands.
#[derive(Debug, Clone)]
pub struct ConsentOutcome {
    /// The clause.
    pub cite: Cite,
    /// Whether it is required: `None` when that depends on a fact not given.
    pub required: Option<bool>,
    /// Its conditions, each with how it stands.
    pub conditions: Vec<String>,
    /// Its votes.
    pub counts: Vec<Count>,
    /// Named holders who must be in the majority, and whether they are.
    pub including: Option<(Vec<String>, Option<bool>)>,
    /// Whether it is met, when votes were given and the facts suffice.
    pub met: Option<bool>,
}

/// The answer to `approve ACTION`.
#[derive(Debug, Clone)]
pub struct ApprovalOutcome {
    /// The action.
    pub action: String,
    /// What it covers.
    pub description: String,
    /// Every consent covering it.
    pub consents: Vec<ConsentOutcome>,
    /// Whether the action has the consents it needs: `None` without votes, or
    /// when a fact not given decides it.
    pub passes: Option<bool>,
    /// Facts that would decide what is undecided, with what each would change.
    pub missing: Vec<String>,
    /// What the answer assumes.
    pub assumptions: Vec<String>,
}

fn basis_words(b: VoteBasis) -> &'static str {
    match b {
        VoteBasis::Shares => "by shares",
        VoteBasis::AsConverted => "as converted",
        VoteBasis::VotingPower => "by voting power",
    }
}

/// Evaluates every consent covering `action`.
pub fn approve(
    s: &Scenario,
    action: &str,
    description: String,
    facts: &Facts,
) -> Result<ApprovalOutcome, Kind> {
    let power = match s.charter.voting {
        Some(_) => votes::power(s)?,
        None => shares_only(s)?,
    };
    let date = facts.date.unwrap_or(s.date);
    let mut consents = Vec::new();
    let mut missing = Vec::new();
    let mut assumptions = Vec::new();
    let relevant: Vec<&Consent> = s
        .charter
        .protective
        .consents
        .iter()
        .filter(|c| c.actions.iter().any(|a| a == action))
        .collect();
    if relevant
        .iter()
        .any(|c| c.parts.iter().any(|p| p.group == ConsentGroup::Affected))
        && facts.affecting.is_empty()
    {
        assumptions.push(
            "no series is affected differently from the others (name one with `affecting SERIES`)"
                .to_string(),
        );
    }
    for c in relevant {
        let st = conditions::standing(s, c, facts, date, &mut missing)?;
        let counts = counts(s, c, facts, &power)?;
        let met = verdict(&counts, st.including.as_ref(), facts);
        consents.push(ConsentOutcome {
            cite: c.cite.clone(),
            required: st.required,
            conditions: st.conditions,
            counts,
            including: st.including,
            met,
        });
    }
    let passes = passes(&consents);
    if facts.votes.is_none() && consents.iter().any(|c| c.required != Some(false)) {
        missing.push(
            "the votes (`with SERIES P%, ...`): to say whether the action passes".to_string(),
        );
    }
    missing.dedup();
    Ok(ApprovalOutcome {
        action: action.to_string(),
        description,
        consents,
        passes,
        missing,
        assumptions,
    })
}

fn names(s: &Scenario, ids: &[ClassId]) -> String {
    ids.iter()
        .map(|i| s.name(*i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Shares and as-converted counts when the charter states no voting rights.
fn shares_only(s: &Scenario) -> Result<Vec<ClassVotes>, Kind> {
    let mut out = Vec::new();
    for (id, c) in s.charter.classes.iter().enumerate() {
        let ratio = c.ratio.unwrap_or(Decimal::ONE);
        let named: Vec<votes::HolderVotes> = s
            .charter
            .holders
            .iter()
            .filter(|h| h.class == id)
            .map(|h| {
                Ok(votes::HolderVotes {
                    name: h.name.clone(),
                    shares: h.shares,
                    as_converted: h.shares.mul(ratio, "shares as converted")?,
                    votes: Decimal::ZERO,
                })
            })
            .collect::<Result<_, Kind>>()?;
        out.push(ClassVotes {
            class: id,
            name: c.name.clone(),
            shares: c.outstanding,
            as_converted: c.outstanding.mul(ratio, "shares as converted")?,
            per_share: None,
            counted_as_converted: false,
            votes: Decimal::ZERO,
            holders: named,
            cite: None,
        });
    }
    Ok(out)
}

/// The basis in words, for answers.
pub fn basis_text(b: VoteBasis) -> &'static str {
    basis_words(b)
}

/// The consent's votes: one count per class voting separately or per group
/// voting together, with the votes for where votes were given.
fn counts(
    s: &Scenario,
    c: &Consent,
    facts: &Facts,
    power: &[ClassVotes],
) -> Result<Vec<Count>, Kind> {
    let mut counts = Vec::new();
    for part in &c.parts {
        let groups: Vec<Vec<ClassId>> = match &part.group {
            ConsentGroup::Each(list) => list.iter().map(|x| vec![*x]).collect(),
            ConsentGroup::Together(list) => vec![list.clone()],
            ConsentGroup::Affected => facts.affecting.iter().map(|x| vec![*x]).collect(),
        };
        for g in groups {
            let mut total = Decimal::ZERO;
            let mut yes = Decimal::ZERO;
            for id in &g {
                let Some(v) = power.iter().find(|p| p.class == *id) else {
                    continue;
                };
                let (w, holders) = votes::weight(v, part.basis);
                total = total.add(w, "votes")?;
                if let Some(given) = &facts.votes {
                    let pct = given
                        .iter()
                        .find(|x| x.0 == *id)
                        .map_or(Decimal::ZERO, |x| x.1);
                    let mut rest = w;
                    for (name, hw) in &holders {
                        if let Some((_, vote)) = facts.holders.iter().find(|x| &x.0 == name) {
                            rest = rest.sub(*hw, "votes")?;
                            if *vote {
                                yes = yes.add(*hw, "votes")?;
                            }
                        }
                    }
                    yes = yes.add(rest.mul(pct, "votes for")?, "votes")?;
                }
            }
            let together = g.len() > 1;
            counts.push(Count {
                voters: format!(
                    "{}{}",
                    names(s, &g),
                    if together { " together" } else { "" }
                ),
                threshold: part.threshold,
                basis: part.basis,
                yes: facts.votes.as_ref().map(|_| yes),
                total,
                // With no shares outstanding there is no one to ask: a
                // separate vote of nobody cannot withhold consent.
                met: if total.is_zero() {
                    Some(true)
                } else {
                    facts.votes.as_ref().map(|_| part.threshold.met(yes, total))
                },
            });
        }
    }
    Ok(counts)
}

/// Whether the consent is met: its votes and the named holders who must be
/// in the majority; `None` when that is not yet known.
fn verdict(
    counts: &[Count],
    including: Option<&(Vec<String>, Option<bool>)>,
    facts: &Facts,
) -> Option<bool> {
    // Without votes given, the consent is settled only when every group
    // in it has no shares outstanding.
    let all_met = counts.iter().all(|x| x.met == Some(true));
    let votes_met = if facts.votes.is_some() {
        Some(all_met)
    } else if all_met && !counts.is_empty() {
        Some(true)
    } else {
        None
    };
    match (votes_met, including.map(|i| i.1)) {
        (Some(false), _) | (_, Some(Some(false))) => Some(false),
        (Some(true), None | Some(Some(true))) => Some(true),
        _ => None,
    }
}

/// The action passes if every consent that is (or may be) required is met;
/// with none in force, the charter asks for no class vote at all.
fn passes(consents: &[ConsentOutcome]) -> Option<bool> {
    let open: Vec<&ConsentOutcome> = consents
        .iter()
        .filter(|c| c.required != Some(false))
        .collect();
    if open.is_empty() {
        Some(true)
    } else if open
        .iter()
        .any(|c| c.required == Some(true) && c.met == Some(false))
    {
        Some(false)
    } else if open.iter().all(|c| c.met == Some(true)) {
        Some(true)
    } else {
        None
    }
}
