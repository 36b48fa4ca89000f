//! The general search: when switching pays a decider that has no price (a
//! group election, warrants for preferred shares).
//!
//! Under fixed decisions a decider's payout is a piecewise-linear function of
//! the exit ([`Pl`]). [`settle`] makes the best switches at a point until
//! none pays; [`crossing`] finds the first exit at which a switch starts to
//! pay: where the difference of two such functions turns positive, or for a
//! group, where the gaining electors first hold the election's threshold.

use rust_decimal::Decimal;

use super::deciders::{
    Built, Unit, Who, build, per_share_weight, switched, toggle, tolerance, unit_party,
};
use super::linear::{PLACES, Pl, merged_knots};
use super::waterfall::Decisions;
use crate::diagnostic::Kind;
use crate::ir::{Charter, Cite, Terms};
use crate::num::Checked;

/// A slope below this (dollars per dollar of exit) is no slope, for the
/// same reason.
fn slope_tolerance() -> Decimal {
    Decimal::new(1, 24)
}

/// Those whose gain decides a switch, with the shares each votes (a class
/// or a pool deciding alone votes one).
fn deciders(charter: &Charter, unit: &Unit) -> Vec<(Who, Decimal)> {
    match unit {
        Unit::Class(id) => vec![(Who::Class(*id), Decimal::ONE)],
        Unit::Pool(p) => vec![(Who::Pool(*p), Decimal::ONE)],
        Unit::Group(g) => charter
            .conversion
            .groups
            .get(*g)
            .map(|group| {
                group
                    .electors
                    .iter()
                    .map(|e| {
                        let n = charter
                            .classes
                            .get(*e)
                            .map(|c| c.outstanding)
                            .unwrap_or_default();
                        (Who::Class(*e), n)
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Whether the deciders gaining (`yes` of `all` votes) carry the switch.
fn carried(charter: &Charter, unit: &Unit, yes: Decimal, all: Decimal) -> bool {
    match unit {
        Unit::Group(g) => charter
            .conversion
            .groups
            .get(*g)
            .is_some_and(|group| group.threshold.met(yes, all)),
        _ => yes > Decimal::ZERO,
    }
}

/// The class a pool's exercise decides together with: a pool for a
/// preferred class that has no shares of its own outstanding and converts at
/// its holders' option. Once exercised, the pool's holders are that class's
/// only holders, so exercising and converting is one decision of theirs
/// (exercising alone, or converting alone, can each look indifferent while
/// the two together pay).
fn companion(charter: &Charter, unit: &Unit) -> Option<Unit> {
    let Unit::Pool(p) = unit else { return None };
    let pool = charter.pools.get(*p)?;
    let class = charter.classes.get(pool.class)?;
    let optional = charter
        .conversion
        .rights
        .get(pool.class)
        .and_then(|r| r.as_ref())
        .is_some_and(|r| matches!(r.mode, crate::ir::ConversionMode::Optional));
    (!class.common && class.outstanding.is_zero() && optional).then_some(Unit::Class(pool.class))
}

/// The switches open to a unit: itself, and where its pool decides with its
/// class, the two together (exercising and converting, or giving up both).
fn moves(charter: &Charter, d: &Decisions, unit: &Unit) -> Vec<Decisions> {
    let alone = toggle(charter, d, unit);
    let mut out = vec![alone.clone()];
    if let Some(class) = companion(charter, unit) {
        let exercised = switched(charter, d, unit);
        let converted = switched(charter, d, &class);
        // Exercise and convert; or, exercised and converted, give up both.
        if exercised == converted {
            out.push(toggle(charter, &alone, &class));
        }
    }
    out
}

/// Whether a gain of `(value, slope)` at a point is a gain just right of it
/// (`right`) or at the point itself.
fn gains(value: Decimal, slope: Decimal, right: bool) -> bool {
    value > tolerance() || (right && value.abs() <= tolerance() && slope > slope_tolerance())
}

/// Settles decisions at `x` by best response from `d`: each round, the
/// switch with the greatest gain per common-equivalent share is made, until
/// none gains. With `right`, gains are judged just right of `x` (value,
/// then slope); else at `x` itself.
pub(crate) fn settle(
    charter: &Charter,
    terms: &Terms,
    units: &[(Unit, Cite)],
    x: Decimal,
    rep: Decimal,
    mut d: Decisions,
    right: bool,
) -> Result<Decisions, Kind> {
    let mut seen: Vec<Decisions> = Vec::new();
    loop {
        if seen.contains(&d) {
            return Err(Kind::NoEquilibrium);
        }
        seen.push(d.clone());
        let base = build(charter, terms, &d, rep)?;
        let mut best: Option<((Decimal, Decimal), Decisions)> = None;
        for (unit, _) in units {
            for next in moves(charter, &d, unit) {
                if let Some(g) = gain(charter, (&base, &next), unit, (x, rep), (terms, right))?
                    && best.as_ref().is_none_or(|(b, _)| g > *b)
                {
                    best = Some((g, next));
                }
            }
        }
        match best {
            Some((_, next)) => d = next,
            None => return Ok(d),
        }
    }
}

/// The gain per common-equivalent share of switching from `base` to
/// `next` for `unit`'s deciders, if they carry it.
fn gain(
    charter: &Charter,
    (base, next): (&Built, &Decisions),
    unit: &Unit,
    (x, rep): (Decimal, Decimal),
    (terms, right): (&Terms, bool),
) -> Result<Option<(Decimal, Decimal)>, Kind> {
    let alt = build(charter, terms, next, rep)?;
    let mut yes = Decimal::ZERO;
    let mut all = Decimal::ZERO;
    for (who, votes) in deciders(charter, unit) {
        let (b, bs) = base.pl(charter, who, x)?.at(x)?;
        let (a, as_) = alt.pl(charter, who, x)?.at(x)?;
        all = all.add(votes, "votes")?;
        if gains(a.sub(b, "gain")?, as_.sub(bs, "gain")?, right) {
            yes = yes.add(votes, "votes")?;
        }
    }
    if !carried(charter, unit, yes, all) {
        return Ok(None);
    }
    let bp = unit_party(charter, &base.w, &base.d, unit)?;
    let ap = unit_party(charter, &alt.w, &alt.d, unit)?;
    let (b, bs) = Pl::of(&base.w, base.paid, &bp, x)?.at(x)?;
    let (a, as_) = Pl::of(&alt.w, alt.paid, &ap, x)?.at(x)?;
    let weight = per_share_weight(charter, &base.w.shares, unit)?;
    let per = |v: Decimal| -> Result<Decimal, Kind> {
        if weight.is_zero() {
            Ok(v)
        } else {
            v.div(weight, "gain per share")
        }
    };
    Ok(Some((per(a.sub(b, "gain")?)?, per(as_.sub(bs, "gain")?)?)))
}

/// The first exit after `x0` (and before `end`) at which switching `unit`
/// pays its deciders, given the other decisions of `base`.
pub(crate) fn crossing(
    charter: &Charter,
    terms: &Terms,
    base: &Built,
    unit: &Unit,
    x0: Decimal,
    rep: Decimal,
    end: Option<Decimal>,
) -> Result<Option<Decimal>, Kind> {
    let mut first: Option<Decimal> = None;
    for next in moves(charter, &base.d, unit) {
        if let Some(c) = crossing_to(charter, terms, base, (unit, &next), x0, rep, end)?
            && first.is_none_or(|f| c < f)
        {
            first = Some(c);
        }
    }
    Ok(first)
}

/// The first exit after `x0` (and before `end`) at which the switch from
/// `base` to `next` pays `unit`'s deciders.
fn crossing_to(
    charter: &Charter,
    terms: &Terms,
    base: &Built,
    (unit, next): (&Unit, &Decisions),
    x0: Decimal,
    rep: Decimal,
    end: Option<Decimal>,
) -> Result<Option<Decimal>, Kind> {
    let alt = build(charter, terms, next, rep)?;
    let mut pairs = Vec::new();
    for (who, votes) in deciders(charter, unit) {
        pairs.push((base.pl(charter, who, x0)?, alt.pl(charter, who, x0)?, votes));
    }
    let all = crate::num::sum(pairs.iter().map(|p| p.2), "votes")?;
    let pls: Vec<&Pl> = pairs.iter().flat_map(|(b, a, _)| [b, a]).collect();
    let xs = merged_knots(&pls, x0, end);
    for (i, a) in xs.iter().enumerate() {
        let b = xs.get(i.saturating_add(1)).copied().or(end);
        // The gains at `a` and their slopes; where each turns positive.
        let mut points = vec![*a];
        let mut lines = Vec::new();
        for (bp, ap, votes) in &pairs {
            let (bv, bs) = bp.at(*a)?;
            let (av, as_) = ap.at(*a)?;
            let (g, s) = (av.sub(bv, "gain")?, as_.sub(bs, "gain")?);
            if s > slope_tolerance() && g < Decimal::ZERO {
                let root = a.sub(g.div(s, "crossing")?, "crossing")?;
                if b.is_none_or(|b| root < b) {
                    points.push(root);
                }
            }
            lines.push((g, s, *votes));
        }
        points.sort();
        for p in points {
            let mut yes = Decimal::ZERO;
            for (g, s, votes) in &lines {
                let v = g.add(p.sub(*a, "exit")?.mul(*s, "gain")?, "gain")?;
                if gains(v, *s, true) {
                    yes = yes.add(*votes, "votes")?;
                }
            }
            let p = p.round_dp(PLACES);
            if p > x0 && carried(charter, unit, yes, all) {
                return Ok(Some(p));
            }
        }
    }
    Ok(None)
}
