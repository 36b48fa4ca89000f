//! Conversion decisions in equilibrium.
//!
//! A unit is a decision taken as one: a class converting at its holders'
//! option, a group of classes converting on one election, or a pool of
//! options or warrants being exercised. A unit switches when switching pays
//! it strictly more given everyone else's decisions (for a group, when the
//! holders gaining hold the election's threshold of the electing shares);
//! an indifferent unit keeps what it has, so with no gain a preferred class
//! stays unconverted and an option stays unexercised.
//!
//! The search is best-response: from "nobody converts", evaluate each unit's
//! switch; make the switch with the greatest gain per common-equivalent share;
//! repeat until no unit gains. Converting a class whose conversion value
//! exceeds its preference leaves the common price between the two (it is a
//! weighted mean of them), so conversions happen in order of how far in the
//! money they are and are not undone; the search takes at most a few rounds
//! per unit, each one waterfall per unit: quadratic, not exponential, in the
//! number of units. A decision set seen twice means no equilibrium exists and
//! is reported rather than looped on.

use std::collections::HashSet;

use rust_decimal::Decimal;

use super::deciders::{Unit, switched, toggle, toggle_in, units};
use super::waterfall::{self, Decisions, Fill, Waterfall};
use crate::diagnostic::Kind;
use crate::ir::{Charter, Cite, Terms};
use crate::num::Checked;

/// A payout below this difference (in dollars, for a whole class) is treated
/// as no gain: decimal division carries 28 digits, and differences in the
/// last of them are noise, not a reason to convert.
fn tolerance() -> Decimal {
    Decimal::new(1, 9)
}

/// The outcome of one decision, for the explanation.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The unit.
    pub unit: Unit,
    /// Whether it converted (or exercised).
    pub switched: bool,
    /// What it receives as decided.
    pub chosen: Decimal,
    /// What it would receive by deciding the other way alone.
    pub alternative: Decimal,
    /// The clause giving the right.
    pub cite: Cite,
}

/// The settled decisions and their waterfall.
#[derive(Debug, Clone)]
pub struct Settled {
    /// The decisions.
    pub decisions: Decisions,
    /// Their waterfall.
    pub waterfall: Waterfall,
    /// What it pays.
    pub fill: Fill,
    /// Each unit's outcome.
    pub choices: Vec<Choice>,
}

/// What a unit receives in a filled waterfall (a pool: net of the exercise price).
fn payoff(
    charter: &Charter,
    w: &Waterfall,
    f: &Fill,
    d: &Decisions,
    unit: &Unit,
) -> Result<Decimal, Kind> {
    match unit {
        Unit::Class(id) => Ok(f.total.get(*id).copied().unwrap_or_default()),
        Unit::Group(g) => {
            let group = charter.conversion.groups.get(*g);
            let members = group.map(|g| g.members.as_slice()).unwrap_or(&[]);
            crate::num::sum(
                members
                    .iter()
                    .map(|m| f.total.get(*m).copied().unwrap_or_default()),
                "group payout",
            )
        }
        Unit::Pool(p) => {
            let Some(pool) = charter.pools.get(*p) else {
                return Ok(Decimal::ZERO);
            };
            if !d.exercised.get(*p).copied().unwrap_or(false) {
                return Ok(Decimal::ZERO);
            }
            let class_total = f.total.get(pool.class).copied().unwrap_or_default();
            let shares = w.shares.get(pool.class).copied().unwrap_or_default();
            let gross = class_total.mul(pool.count.div(shares, "pool share")?, "pool payout")?;
            gross.sub(
                pool.count.mul(pool.strike, "exercise price")?,
                "pool payout",
            )
        }
    }
}

/// Whether `unit` would switch from `base` to `alt`; with the gain per
/// common-equivalent share, used to order switches.
fn gain(
    charter: &Charter,
    unit: &Unit,
    base: (&Waterfall, &Fill, &Decisions),
    alt: (&Waterfall, &Fill, &Decisions),
) -> Result<Option<Decimal>, Kind> {
    let tol = tolerance();
    let weight = |w: &Waterfall, id: usize| -> Result<Decimal, Kind> {
        let ratio = charter
            .classes
            .get(id)
            .and_then(|c| c.ratio)
            .unwrap_or(Decimal::ONE);
        w.shares
            .get(id)
            .copied()
            .unwrap_or_default()
            .mul(ratio, "shares as converted")
    };
    match unit {
        Unit::Group(g) => {
            let Some(group) = charter.conversion.groups.get(*g) else {
                return Ok(None);
            };
            // The holders who gain vote for the switch; by shares, together.
            let mut yes = Decimal::ZERO;
            let mut all = Decimal::ZERO;
            for e in &group.electors {
                let n = charter
                    .classes
                    .get(*e)
                    .map(|c| c.outstanding)
                    .unwrap_or_default();
                all = all.add(n, "electing shares")?;
                let b = base.1.total.get(*e).copied().unwrap_or_default();
                let a = alt.1.total.get(*e).copied().unwrap_or_default();
                if a.sub(b, "gain")? > tol {
                    yes = yes.add(n, "electing shares")?;
                }
            }
            if !group.threshold.met(yes, all) {
                return Ok(None);
            }
            let b = payoff(charter, base.0, base.1, base.2, unit)?;
            let a = payoff(charter, alt.0, alt.1, alt.2, unit)?;
            let mut w = Decimal::ZERO;
            for m in &group.members {
                w = w.add(weight(base.0, *m)?, "group shares")?;
            }
            Ok(Some(if w.is_zero() {
                Decimal::ZERO
            } else {
                a.sub(b, "gain")?.div(w, "gain per share")?
            }))
        }
        _ => {
            let b = payoff(charter, base.0, base.1, base.2, unit)?;
            let a = payoff(charter, alt.0, alt.1, alt.2, unit)?;
            let d = a.sub(b, "gain")?;
            if d <= tol {
                return Ok(None);
            }
            let w = match unit {
                Unit::Class(id) => weight(base.0, *id)?,
                Unit::Pool(p) => charter
                    .pools
                    .get(*p)
                    .map(|p| p.count)
                    .unwrap_or(Decimal::ONE),
                Unit::Group(_) => Decimal::ONE,
            };
            Ok(Some(if w.is_zero() {
                d
            } else {
                d.div(w, "gain per share")?
            }))
        }
    }
}

/// Finds the equilibrium decisions for an exit of `exit` under `terms`.
pub fn settle(charter: &Charter, terms: &Terms, exit: Decimal) -> Result<Settled, Kind> {
    let units = units(charter);
    let mut d = Decisions {
        converted: vec![false; charter.classes.len()],
        exercised: vec![false; charter.pools.len()],
    };
    let run = |d: &Decisions| -> Result<(Waterfall, Fill), Kind> {
        let w = waterfall::build(charter, terms, d, exit)?;
        let f = waterfall::fill(&w, charter.classes.len())?;
        Ok((w, f))
    };
    let mut seen: HashSet<Decisions> = HashSet::new();
    loop {
        if !seen.insert(d.clone()) {
            return Err(Kind::NoEquilibrium);
        }
        let (bw, bf) = run(&d)?;
        let mut best: Option<(Decimal, usize)> = None;
        let mut choices = Vec::new();
        for (i, (unit, cite)) in units.iter().enumerate() {
            let alt_d = toggle(charter, &d, unit);
            let (aw, af) = run(&alt_d)?;
            let g = gain(charter, unit, (&bw, &bf, &d), (&aw, &af, &alt_d))?;
            if let Some(g) = g
                && best.is_none_or(|(b, _)| g > b)
            {
                best = Some((g, i));
            }
            choices.push(Choice {
                unit: unit.clone(),
                switched: switched(charter, &d, unit),
                chosen: payoff(charter, &bw, &bf, &d, unit)?,
                alternative: payoff(charter, &aw, &af, &alt_d, unit)?,
                cite: cite.clone(),
            });
        }
        match best.and_then(|(_, i)| units.get(i)) {
            Some((unit, _)) => toggle_in(charter, &mut d, unit),
            None => {
                return Ok(Settled {
                    decisions: d,
                    waterfall: bw,
                    fill: bf,
                    choices,
                });
            }
        }
    }
}
