//! Goal seek: `solve exit where X receives $A` — the least exit, to the cent,
//! at which a party receives at least a target, read off the exit curve.
//!
//! Within a regime of the curve every payout is continuous and linear
//! between breakpoints, so the first crossing of the target is found piece by
//! piece in order of exit, each by one division: O(P) for P pieces, after
//! the walk that builds the curve. A jump (conditional participation) starts
//! a new regime, so a payout that falls at a jump is followed on the other
//! side. No bisection over payouts.
//!
//! What "receives" means: the party's exact entitlement under the charter,
//! before rounding to the cent. The answer is the least whole-cent exit at
//! which it is at least the target; there the payout to the cent is at least
//! the target too (a whole-cent target is never rounded below). One cent
//! less, the entitlement is below the target, though the remainder rule may
//! give the party the last cent of it (README, "Goal seek").

use rust_decimal::Decimal;

use super::party::Party;
use crate::diagnostic::{Kind, Problem};
use crate::eval::breakpoints::curve_for;
use crate::eval::curve::{self, Curve};
use crate::ir::{Charter, Cite};
use crate::num::{self, Checked};
use crate::syntax::ast::{SolveTarget, Spanned};

/// One cent.
const CENT: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// The answer to `solve exit where X receives ...`.
#[derive(Debug, Clone)]
pub struct Solved {
    /// Who.
    pub party: String,
    /// Whether several parties were named together (`"Ada" and "Ben"`).
    pub together: bool,
    /// The deemed liquidation, or `None` for a liquidation.
    pub event: Option<String>,
    /// The target in dollars.
    pub target: Decimal,
    /// How the target was stated, with its arithmetic.
    pub target_words: String,
    /// What came of it.
    pub outcome: Outcome,
}

/// Where the target is reached, or why it never is.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Reached at `exit`.
    At {
        /// The least whole-cent exit.
        exit: Decimal,
        /// The party's payout there, to the cent (as `payout` reports it).
        receives: Decimal,
        /// Its exact entitlement one cent less, below the target.
        before: Decimal,
        /// The breakpoint that starts the stretch the exit is in, and its
        /// causes, where the exit is past the first.
        after: Option<(Decimal, Vec<(String, Cite)>)>,
    },
    /// Never reached.
    Never {
        /// The most the party ever receives, exactly.
        most: Decimal,
        /// The least exit at which it does.
        at: Decimal,
        /// Why no larger exit pays more.
        reason: String,
        /// The clause behind the reason.
        cite: Option<Cite>,
    },
}

/// Solves for the least exit at which `party` receives `target`; with
/// `with`, the least at which they receive it together.
pub fn solve(
    charter: &Charter,
    (party, with): (&Spanned<String>, &[Spanned<String>]),
    target: &Spanned<SolveTarget>,
    event: Option<&Spanned<String>>,
) -> Result<Solved, Problem> {
    // Parties named together are solved for as a group of their own, added
    // to a copy of the charter.
    let grouped;
    let (charter, who) = if with.is_empty() {
        (charter, Party::find(charter, party)?)
    } else {
        let names: Vec<Spanned<String>> = std::iter::once(party).chain(with).cloned().collect();
        let mut c = charter.clone();
        c.groups.push(Party::together(charter, &names)?);
        grouped = c;
        let i = grouped.groups.len().saturating_sub(1);
        (&grouped, Party::Group(i))
    };
    let at = |k: Kind| Problem::new(k, target.span, "this target");
    let (amount, words) = target_amount(charter, who, &target.node).map_err(at)?;
    let (event_name, c) = curve_for(charter, event, None, curve::Detail::Explained, target.span)?;
    let outcome = match first_crossing(charter, &c, who, amount).map_err(at)? {
        Some(exit) if exit > Decimal::from(crate::eval::MAX_EXIT) => {
            return Err(Problem::new(
                Kind::NumberTooLarge(num::dollars(exit.round_dp(2))),
                target.span,
                "reached only past the largest exit computed",
            )
            .with_help(
                "payouts are computed exactly for exits up to $10,000,000,000,000,000 (10^16): ask for a smaller target",
            ));
        }
        Some(exit) => reached(charter, &c, who, amount, exit).map_err(at)?,
        None => never(charter, &c, who).map_err(at)?,
    };
    Ok(Solved {
        party: who.name(charter),
        together: !with.is_empty(),
        event: event_name,
        target: amount,
        target_words: words,
        outcome,
    })
}

/// The target in dollars, and in words with its arithmetic.
fn target_amount(
    charter: &Charter,
    who: Party,
    t: &SolveTarget,
) -> Result<(Decimal, String), Kind> {
    let (amount, words) = match t {
        SolveTarget::Amount(a) => (*a, num::exact_dollars(*a)),
        SolveTarget::Multiple(m) => {
            let invested = who.investment(charter)?;
            let a = invested.mul(*m, "target")?;
            (
                a,
                format!(
                    "{}x its investment of {} = {}",
                    m.normalize(),
                    num::exact_dollars(invested),
                    num::exact_dollars(a)
                ),
            )
        }
        SolveTarget::PerShare(p) => {
            let shares = who.shares(charter);
            let a = shares.mul(*p, "target")?;
            (
                a,
                format!(
                    "{} per share on {} shares = {}",
                    num::exact_dollars(*p),
                    num::shares(shares),
                    num::exact_dollars(a)
                ),
            )
        }
    };
    if amount < Decimal::ZERO {
        return Err(Kind::BadNumber("a target is not below zero".to_string()));
    }
    Ok((amount, words))
}

/// The least exit (a real number) at which the party's entitlement is at
/// least `target`, regime by regime and piece by piece; `None` if never.
/// An exit just past an open start is given as the start itself: the cent
/// rounding after takes the next cent.
fn first_crossing(
    charter: &Charter,
    c: &Curve,
    who: Party,
    target: Decimal,
) -> Result<Option<Decimal>, Kind> {
    for (ri, r) in c.regimes.iter().enumerate() {
        let end = c.regimes.get(ri.saturating_add(1)).map(|n| n.start);
        for (a, b) in segments(c, ri, end)? {
            let fa = who.exact(charter, c, ri, a)?;
            if fa >= target.sub(slack(target)?, "target")? {
                return Ok(Some(a));
            }
            let (b_or_next, fb) = match b {
                Some(b) => (b, who.exact(charter, c, ri, b)?),
                None => {
                    let next = a.add(Decimal::ONE_THOUSAND, "exit")?;
                    (next, who.exact(charter, c, ri, next)?)
                }
            };
            if fb <= fa || (b.is_some() && fb < target) {
                continue;
            }
            // Linear on the piece: the crossing is one division away.
            let x = a.add(
                num::scale(
                    target.sub(fa, "target")?,
                    b_or_next.sub(a, "piece")?,
                    fb.sub(fa, "rate")?,
                    "crossing",
                )?,
                "crossing",
            )?;
            return Ok(Some(b.map_or(x, |b| x.min(b))));
        }
        let _ = r;
    }
    Ok(None)
}

/// The stretches of regime `ri` on which every payout is linear: from the
/// regime's start (or a piece's) to the next piece's start (or the regime's
/// end, `None` for the last regime), in exit terms.
fn segments(
    c: &Curve,
    ri: usize,
    end: Option<Decimal>,
) -> Result<Vec<(Decimal, Option<Decimal>)>, Kind> {
    let Some(r) = c.regimes.get(ri) else {
        return Ok(Vec::new());
    };
    let mut bounds = vec![r.start];
    for p in &r.pieces {
        let x = p.start.sub(r.paid, "exit")?;
        if x > r.start && end.is_none_or(|e| x < e) {
            bounds.push(x);
        }
    }
    let mut out = Vec::with_capacity(bounds.len());
    for (i, a) in bounds.iter().enumerate() {
        out.push((*a, bounds.get(i.saturating_add(1)).copied().or(end)));
    }
    Ok(out)
}

/// How far below a target an exact entitlement may fall and still reach
/// it: division leaves noise in the last of 28 digits (a share of 1/6.2 of
/// $6.2B comes to $999,999,999.9999999999999999997), so an entitlement within
/// 10^-20 of the target per dollar of it counts, provided the payout to the
/// cent reaches the target as well.
fn slack(target: Decimal) -> Result<Decimal, Kind> {
    target
        .abs()
        .max(Decimal::ONE)
        .mul(Decimal::new(1, 20), "tolerance")
}

/// The whole-cent exit at or just past `x`, checked against the curve
/// itself: the least cent at which the entitlement is at least the target.
fn reached(
    charter: &Charter,
    c: &Curve,
    who: Party,
    target: Decimal,
    x: Decimal,
) -> Result<Outcome, Kind> {
    let at = |x: Decimal| who.exact(charter, c, c.regime_at(x), x);
    let floor = target.sub(slack(target)?, "target")?;
    let reaches = |x: Decimal| -> Result<bool, Kind> {
        Ok(at(x)? >= floor && who.cents(charter, c, x)? >= target)
    };
    let mut exit = x.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToPositiveInfinity);
    // Past an open start, or a crossing that division put a hair early or
    // late: a few cents settle it, never more.
    for _ in 0..4 {
        if reaches(exit)? {
            break;
        }
        exit = exit.add(CENT, "exit")?;
    }
    for _ in 0..4 {
        if exit <= Decimal::ZERO || at(exit.sub(CENT, "exit")?)? < floor {
            break;
        }
        exit = exit.sub(CENT, "exit")?;
    }
    if !reaches(exit)? {
        return Err(Kind::Overflow("the crossing of the target".to_string()));
    }
    let before = if exit > Decimal::ZERO {
        at(exit.sub(CENT, "exit")?)?
    } else {
        Decimal::ZERO
    };
    let after = c
        .breakpoints
        .iter()
        .rev()
        .find(|b| b.exit <= exit && b.exit > Decimal::ZERO)
        .map(|b| {
            (
                b.exit,
                b.causes
                    .iter()
                    .map(|k| (k.what.clone(), k.cite.clone()))
                    .collect(),
            )
        });
    Ok(Outcome::At {
        exit,
        receives: who.cents(charter, c, exit)?,
        before,
        after,
    })
}

/// Why the target is never reached: the most the party ever receives, and
/// the breakpoint past which it takes no more.
fn never(charter: &Charter, c: &Curve, who: Party) -> Result<Outcome, Kind> {
    let mut most = Decimal::ZERO;
    let mut at = Decimal::ZERO;
    let mut flat_from = None;
    for (ri, _) in c.regimes.iter().enumerate() {
        let end = c.regimes.get(ri.saturating_add(1)).map(|n| n.start);
        for (a, b) in segments(c, ri, end)? {
            let fa = who.exact(charter, c, ri, a)?;
            let fb = match b {
                Some(b) => who.exact(charter, c, ri, b)?,
                None => who.exact(charter, c, ri, a.add(Decimal::ONE_THOUSAND, "exit")?)?,
            };
            for (x, f) in [(a, fa), (b.unwrap_or(a), fb)] {
                if f > most {
                    most = f;
                    at = x;
                }
            }
            flat_from = if fb == fa {
                flat_from.or(Some(a))
            } else {
                None
            };
        }
    }
    let name = who.name(charter);
    if most.is_zero() {
        return Ok(Outcome::Never {
            most,
            at,
            reason: format!("{name} receives nothing at any exit"),
            cite: None,
        });
    }
    let cause = flat_from.and_then(|x| c.breakpoints.iter().find(|b| b.exit == x));
    let (reason, cite) = match (flat_from, cause) {
        (Some(x), Some(b)) => {
            // Bounded like every message: a breakpoint where thousands of
            // series convert names the first few.
            let what = crate::num::joined_list(b.causes.iter().map(|k| k.what.clone()), "; ");
            (
                format!(
                    "past {} {name} takes no share of further proceeds: {what}",
                    num::dollars(x),
                ),
                b.causes.first().map(|k| k.cite.clone()),
            )
        }
        _ => (
            format!(
                "{name} never receives more than {}",
                num::exact_dollars(most.round_dp(2))
            ),
            None,
        ),
    };
    Ok(Outcome::Never {
        most,
        at,
        reason,
        cite,
    })
}
