//! `approve conversion with A 70%, B 100%`: whether a vote of holders
//! converts preferred stock automatically, and the conversion if it does.

use rust_decimal::Decimal;

use super::scenario::{Scenario, at};
use crate::diagnostic::{Kind, Problem};
use crate::ir::{Cite, ClassId, Threshold, VoteScope};
use crate::num::Checked;
use crate::syntax::ast::Spanned;

/// One vote counted against a threshold.
#[derive(Debug, Clone)]
pub struct Count {
    /// Who votes, in words.
    pub who: String,
    /// Votes for.
    pub yes: Decimal,
    /// Votes in all.
    pub all: Decimal,
    /// Whether the threshold is met.
    pub passed: bool,
}

/// One automatic-conversion provision and how the vote came out under it.
#[derive(Debug, Clone)]
pub struct RuleOutcome {
    /// The threshold.
    pub threshold: Threshold,
    /// Each count it needs.
    pub counts: Vec<Count>,
    /// Whether every count passed.
    pub passed: bool,
    /// The classes it converts.
    pub classes: Vec<String>,
    /// The clause.
    pub cite: Cite,
}

/// The answer to `approve conversion`.
#[derive(Debug, Clone)]
pub struct VoteOutcome {
    /// Each provision.
    pub rules: Vec<RuleOutcome>,
    /// Classes converted: name, common shares, cash.
    pub converted: Vec<(String, Decimal, Decimal)>,
}

/// Counts the vote and converts the classes whose provision it satisfies.
pub fn approve(
    s: &mut Scenario,
    votes: &[(ClassId, Spanned<Decimal>)],
    text: &str,
) -> Result<VoteOutcome, Problem> {
    let span = votes.first().map(|v| v.1.span).unwrap_or_default();
    let fail = |k: Kind| at(k, span);
    if s.charter.conversion.automatic_vote.is_empty() && s.charter.conversion.groups.is_empty() {
        return Err(Problem::new(
            Kind::Impossible(
                "this charter provides no conversion by a vote of holders".to_string(),
            ),
            span,
            "here",
        )
        .with_help("conversion here is at the holder's option or on an offering"));
    }
    let share = |c: ClassId| {
        votes
            .iter()
            .find(|v| v.0 == c)
            .map_or(Decimal::ZERO, |v| v.1.node)
    };
    let mut rules = Vec::new();
    let mut to_convert: Vec<ClassId> = Vec::new();
    // Conversion on an election of a group is a vote too (001 § 3(a)).
    let elections = s
        .charter
        .conversion
        .groups
        .iter()
        .map(|g| crate::ir::AutomaticVote {
            classes: g.members.clone(),
            threshold: g.threshold,
            scope: VoteScope::Together(g.electors.clone(), false),
            cite: g.cite.clone(),
        });
    let rules_all: Vec<crate::ir::AutomaticVote> = s
        .charter
        .conversion
        .automatic_vote
        .iter()
        .cloned()
        .chain(elections)
        .collect();
    for rule in rules_all {
        let groups: Vec<(Vec<ClassId>, bool)> = match &rule.scope {
            VoteScope::Each(list) => list.iter().map(|c| (vec![*c], false)).collect(),
            VoteScope::Together(list, converted) => vec![(list.clone(), *converted)],
        };
        let counts = groups
            .into_iter()
            .map(|(members, as_converted)| {
                count(s, &members, as_converted, rule.threshold, &share).map_err(fail)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let passed = counts.iter().all(|c| c.passed);
        if passed {
            to_convert.extend(
                rule.classes
                    .iter()
                    .copied()
                    .filter(|c| s.converted.get(*c).is_some_and(|x| x.is_none())),
            );
        }
        rules.push(RuleOutcome {
            threshold: rule.threshold,
            counts,
            passed,
            classes: rule.classes.iter().map(|c| s.name(*c)).collect(),
            cite: rule.cite.clone(),
        });
    }
    to_convert.sort_unstable();
    to_convert.dedup();
    let mut converted = Vec::new();
    for c in to_convert {
        let name = s.name(c);
        let ratio = s
            .charter
            .classes
            .get(c)
            .and_then(|x| x.ratio)
            .unwrap_or(Decimal::ONE);
        let (shares, cash) = s.convert_all(c, ratio, "on the vote").map_err(fail)?;
        converted.push((name, shares, cash));
    }
    s.events.push(text.to_string());
    Ok(VoteOutcome { rules, converted })
}

/// One count of a conversion vote: the shares (or common as converted) of
/// `members` for and in all, and whether the threshold is met.
fn count(
    s: &Scenario,
    members: &[ClassId],
    as_converted: bool,
    threshold: crate::ir::Threshold,
    share: &dyn Fn(ClassId) -> Decimal,
) -> Result<Count, Kind> {
    let (mut yes, mut all) = (Decimal::ZERO, Decimal::ZERO);
    for &m in members {
        let class = s.charter.classes.get(m);
        let shares = class.map(|c| c.outstanding).unwrap_or_default();
        let weight = if as_converted {
            shares.mul(
                class.and_then(|c| c.ratio).unwrap_or(Decimal::ONE),
                "votes as converted",
            )?
        } else {
            shares
        };
        all = all.add(weight, "votes")?;
        yes = yes.add(weight.mul(share(m), "votes for")?, "votes")?;
    }
    let names: Vec<String> = members.iter().map(|m| s.name(*m)).collect();
    Ok(Count {
        who: format!(
            "{}{}",
            names.join(", "),
            if as_converted {
                " together, as converted"
            } else if members.len() > 1 {
                " together"
            } else {
                ""
            }
        ),
        yes,
        all,
        passed: threshold.met(yes, all),
    })
}
