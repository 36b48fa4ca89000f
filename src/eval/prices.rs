//! Deciders with a price: a class converting alone, and an option pool for
//! common, switch exactly where the residual's level passes a fixed amount
//! per common-equivalent share, so their crossings, their settling and what
//! they would receive by deciding otherwise all read off one waterfall.

use rust_decimal::Decimal;

use super::deciders::{Built, Unit, build, per_share_weight, switched, toggle_in, tolerance};
use super::linear::PLACES;
use super::search::settle;
use super::waterfall::{self, Decisions, Waterfall};
use crate::diagnostic::Kind;
use crate::ir::{Charter, Cite, ClassId, Terms};
use crate::num::Checked;

/// Where a decider switches by the residual's level alone.
///
/// A class converting at its own option, with no warrants or options for its
/// own shares, gains by converting exactly when a common-equivalent share of
/// the residual is worth more than what the class gets per common-equivalent
/// share without converting: its preference (with dividends), plus the
/// participation its cap allows, less any cash paid on conversion. At that
/// price converting or not pays every holder the same, so the switch leaves
/// the level where it is, and above it the class gains. A fully
/// participating class never gains (converting gives up its preference for a
/// share of it). An option or warrant pool for common gains exactly above its
/// strike. Groups and pools for preferred are decided by the general search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Price {
    /// Switches when the level passes this amount per common-equivalent share.
    At(Decimal),
    /// Never gains by switching.
    Never,
}

/// The price of each decider, or `None` for one the general search decides,
/// under the terms in force at exit `rep` (conditional participation).
pub(crate) fn prices(
    charter: &Charter,
    terms: &Terms,
    units: &[(Unit, Cite)],
    rep: Decimal,
) -> Result<Vec<Option<Price>>, Kind> {
    let dps = waterfall::distribution_read(charter, terms, rep)?;
    let grouped = |id: ClassId| {
        charter
            .conversion
            .groups
            .iter()
            .any(|g| g.members.contains(&id) || g.electors.contains(&id))
    };
    let mut out = Vec::with_capacity(units.len());
    for (unit, _) in units {
        out.push(match unit {
            Unit::Group(_) => None,
            Unit::Pool(p) => charter.pools.get(*p).and_then(|pool| {
                charter
                    .classes
                    .get(pool.class)
                    .filter(|c| c.common)
                    .map(|_| {
                        // With nothing to exercise, nothing is gained.
                        if pool.count.is_zero() {
                            Price::Never
                        } else {
                            Price::At(pool.strike)
                        }
                    })
            }),
            Unit::Class(id) => {
                let id = *id;
                let Some(class) = charter.classes.get(id) else {
                    out.push(None);
                    continue;
                };
                let ratio = class.ratio.unwrap_or(Decimal::ONE);
                if class.outstanding.is_zero() && !grouped(id) {
                    // No shares: converting gains nothing, so it keeps its stock.
                    out.push(Some(Price::Never));
                    continue;
                }
                if grouped(id)
                    || charter.pools.iter().any(|p| p.class == id)
                    || ratio <= Decimal::ZERO
                {
                    out.push(None);
                    continue;
                }
                let pref = terms.preference.get(id).and_then(|p| p.as_ref());
                let with_dividends = match pref {
                    Some(p) => p
                        .with_dividends(class)
                        .ok_or_else(|| Kind::Overflow("preference with dividends".to_string()))?,
                    None => Decimal::ZERO,
                };
                let room = match waterfall::sharing(terms, id, dps)? {
                    waterfall::Sharing::Uncapped => {
                        out.push(Some(Price::Never));
                        continue;
                    }
                    waterfall::Sharing::Upto(r) => r,
                    waterfall::Sharing::No => Decimal::ZERO,
                };
                let cash = charter
                    .conversion_cash(id)?
                    .add(terms.conversion_dividend(id), "cash on conversion")?;
                let per_share = with_dividends
                    .add(room, "conversion price")?
                    .sub(cash, "conversion price")?;
                Some(Price::At(per_share.div(ratio, "conversion price")?))
            }
        });
    }
    Ok(out)
}

/// The first exit after `x0` (and before `end`) at which a decider with a
/// price gains by switching, read off `base`'s residual: `Ok(None)` where it
/// never does, `Err(())` where the reading is not conclusive (the level
/// already stands past the price at `x0`), for the general search.
pub(crate) fn crossing_at_price(
    base: &Built,
    levels: &waterfall::Levels,
    price: Price,
    switched: bool,
    x0: Decimal,
    end: Option<Decimal>,
) -> Result<Result<Option<Decimal>, ()>, Kind> {
    let Price::At(p) = price else {
        return Ok(Ok(None));
    };
    if switched {
        // The level only rises along the regime: a class that converted
        // below it stays converted.
        return Ok(Ok(None));
    }
    let Some(y) = levels.at(p)? else {
        return Ok(Ok(None));
    };
    let x = y.sub(base.paid, "exit")?.round_dp(PLACES);
    if x <= x0 {
        return Ok(Err(()));
    }
    Ok(Ok(end.is_none_or(|e| x < e).then_some(x)))
}

/// Settles decisions at `x` for deciders with prices by comparing the
/// residual's level with each price, one price at a time, most in the money
/// first; deciders without a price are then settled by the general search.
/// Starts from `start`, the waterfall of the decisions as they stand (built
/// for `rep`), and returns the settled decisions' waterfall, so that the
/// walk builds each waterfall once.
#[allow(clippy::too_many_arguments)]
pub(crate) fn settle_by_price(
    charter: &Charter,
    terms: &Terms,
    units: &[(Unit, Cite)],
    prices: &[Option<Price>],
    x: Decimal,
    rep: Decimal,
    start: Built,
    right: bool,
) -> Result<Built, Kind> {
    let mut seen: Vec<Decisions> = Vec::new();
    let mut base = start;
    loop {
        if seen.contains(&base.d) {
            return Err(Kind::NoEquilibrium);
        }
        seen.push(base.d.clone());
        let (level, slope) = waterfall::level_at(&base.w, x.add(base.paid, "proceeds")?)?;
        // The switches that pay: (how far in the money, unit); a converted
        // class returns to preferred stock only if the level is below its price.
        let mut best: Option<(Decimal, Decimal)> = None;
        let mut wanting = Vec::new();
        for (i, ((unit, _), price)) in units.iter().zip(prices).enumerate() {
            let Some(Price::At(p)) = price else { continue };
            let weight = per_share_weight(charter, &base.w.shares, unit)?;
            let tol = if weight.is_zero() {
                tolerance()
            } else {
                tolerance().div(weight, "tolerance")?
            };
            let gain = level.sub(*p, "gain")?;
            let now = switched(charter, &base.d, unit);
            let wants = if now {
                gain < tol.saturating_mul(Decimal::NEGATIVE_ONE)
            } else {
                gain > tol || (right && gain.abs() <= tol && slope > Decimal::ZERO)
            };
            if wants {
                let by = gain.abs();
                wanting.push((i, *p));
                if best.is_none_or(|(b, _)| by > b) {
                    best = Some((by, *p));
                }
            }
        }
        let Some((_, price)) = best else {
            break;
        };
        // Deciders at the same price switch together: at that price none of
        // them moves the level.
        let mut d = base.d.clone();
        for (i, p) in wanting {
            if p == price
                && let Some((unit, _)) = units.get(i)
            {
                toggle_in(charter, &mut d, unit);
            }
        }
        base = build(charter, terms, &d, rep)?;
    }
    if prices.iter().any(Option::is_none) {
        let d = settle(charter, terms, units, x, rep, base.d.clone(), right)?;
        if d != base.d {
            base = build(charter, terms, &d, rep)?;
        }
    }
    Ok(base)
}

/// What a decider with a price would receive at `w`'s proceeds by deciding
/// the other way alone, solved from `w`'s residual without building the
/// other waterfall: switching moves the preferences by the decider's own
/// (less any cash on conversion), or adds the exercise price, and swaps its
/// claim in the residual; the residual's new level is one water-fill solve.
/// `None` where the proceeds do not reach the residual both ways (the general
/// answer, a waterfall built for the switch, is needed there).
pub(crate) fn alternative_by_price(
    charter: &Charter,
    terms: &Terms,
    w: &Waterfall,
    reached: &Option<Residual>,
    d: &Decisions,
    unit: &Unit,
) -> Result<Option<Decimal>, Kind> {
    let Some(reached) = reached else {
        return Ok(None);
    };
    let residual = reached.amount;
    match unit {
        Unit::Pool(p) => {
            let Some(pool) = charter.pools.get(*p) else {
                return Ok(None);
            };
            if d.exercised.get(*p).copied().unwrap_or(false) {
                return Ok(Some(Decimal::ZERO));
            }
            // Exercising pays in the price and adds the pool's shares to common.
            let paid = pool.count.mul(pool.strike, "exercise price")?;
            let level = reached.solve(
                None,
                (pool.class, pool.count, None),
                residual.add(paid, "residual")?,
            )?;
            Ok(Some(
                level
                    .mul(pool.count, "pool payout")?
                    .sub(paid, "pool payout")?,
            ))
        }
        Unit::Class(id) => {
            let converted = d.converted.get(*id).copied().unwrap_or(false);
            class_alternative(charter, terms, w.proceeds, *id, converted, reached)
        }
        Unit::Group(_) => Ok(None),
    }
}

/// The residual of a waterfall at its proceeds, read once for every
/// decider's alternative.
#[derive(Debug, Clone)]
pub(crate) struct Residual {
    /// Its claims: class, weight, and the level at which the claim is full,
    /// in order of that level (the unlimited ones last), as its tranches
    /// end.
    claims: Vec<Claim>,
    /// The sum of the claims' weights.
    weight: Decimal,
    /// The amount it holds.
    amount: Decimal,
}

/// A claim on the residual: class, weight, and the level at which it is
/// full (`None`: without limit).
type Claim = (ClassId, Decimal, Option<Decimal>);

impl Residual {
    /// The water-fill level at which the claims take `amount` in all, with
    /// class `skip`'s claims left out and `extra` added: O(n) for n claims,
    /// as they are kept in order of level.
    fn solve(&self, skip: Option<ClassId>, extra: Claim, amount: Decimal) -> Result<Decimal, Kind> {
        let mut active = self.weight.add(extra.1, "weights")?;
        for c in self.claims.iter().filter(|c| Some(c.0) == skip) {
            active = active.sub(c.1, "weights")?;
        }
        // The extra claim goes after those full at the same level, as a
        // stable sort would place it.
        let key = |c: &Claim| (c.2.is_none(), c.2);
        let at = self.claims.partition_point(|c| key(c) <= key(&extra));
        let (before, after) = self.claims.split_at(at);
        let ordered = before
            .iter()
            .chain(std::iter::once(&extra))
            .chain(after)
            .filter(|c| Some(c.0) != skip || std::ptr::eq(*c, &extra));
        let mut taken = Decimal::ZERO;
        let mut prev = Decimal::ZERO;
        for c in ordered {
            if active <= Decimal::ZERO {
                break;
            }
            let Some(level) = c.2 else { break };
            let next = taken.add(level.sub(prev, "level")?.mul(active, "tranche")?, "tranche")?;
            if next >= amount {
                break;
            }
            taken = next;
            prev = level;
            active = active.sub(c.1, "weights")?;
        }
        if active <= Decimal::ZERO {
            return Ok(prev);
        }
        prev.add(amount.sub(taken, "level")?.div(active, "level")?, "level")
    }
}

/// The residual's claims and the amount it holds at `w`'s proceeds; `None`
/// where the proceeds do not reach it. O(T·S) for T tranches of S sharers.
pub(crate) fn residual(w: &Waterfall) -> Result<Option<Residual>, Kind> {
    let mut start = Decimal::ZERO;
    let mut first = None;
    for (k, t) in w.tranches.iter().enumerate() {
        if t.residual {
            first = Some(k);
            break;
        }
        start = start.add(t.size.unwrap_or_default(), "tranche end")?;
    }
    let Some(first) = first else { return Ok(None) };
    let residual = w.proceeds.sub(start, "residual")?;
    if residual < Decimal::ZERO {
        return Ok(None);
    }
    let mut claims = Vec::new();
    for t in w.tranches.iter().skip(first) {
        for (id, _) in &t.ends {
            if let Some((_, weight, _)) = w.shares(t).iter().find(|s| s.0 == *id) {
                claims.push((*id, *weight, t.level));
            }
        }
        if t.size.is_none() {
            claims.extend(
                w.shares(t)
                    .iter()
                    .map(|(id, weight, _)| (*id, *weight, None)),
            );
        }
    }
    // In tranche order the claims already stand in order of level; the
    // sort only guards that (and is linear on sorted input).
    claims.sort_by_key(|c| (c.2.is_none(), c.2));
    let weight = crate::num::sum(claims.iter().map(|c| c.1), "weights")?;
    Ok(Some(Residual {
        claims,
        weight,
        amount: residual,
    }))
}

/// What class `id` would receive by switching alone, given the residual's
/// other claims: converting gives up its preference for any cash and joins
/// the residual as common; returning to preferred claims the preference
/// again, ahead of the residual, and shares the residual as its
/// participation allows.
#[allow(clippy::too_many_arguments)]
fn class_alternative(
    charter: &Charter,
    terms: &Terms,
    proceeds: Decimal,
    id: ClassId,
    converted: bool,
    reached: &Residual,
) -> Result<Option<Decimal>, Kind> {
    let residual = reached.amount;
    let Some(class) = charter.classes.get(id) else {
        return Ok(None);
    };
    let n = class.outstanding;
    let a = n.mul(class.ratio.unwrap_or(Decimal::ONE), "shares as converted")?;
    let pref = match terms.preference.get(id).and_then(|p| p.as_ref()) {
        Some(p) => n.mul(
            p.with_dividends(class)
                .ok_or_else(|| Kind::Overflow("preference with dividends".to_string()))?,
            "preference",
        )?,
        None => Decimal::ZERO,
    };
    let cash = n.mul(
        charter
            .conversion_cash(id)?
            .add(terms.conversion_dividend(id), "cash on conversion")?,
        "cash on conversion",
    )?;
    if !converted {
        if cash > pref {
            return Ok(None);
        }
        let residual = residual.add(pref, "residual")?.sub(cash, "residual")?;
        let level = reached.solve(Some(id), (id, a, None), residual)?;
        return Ok(Some(cash.add(level.mul(a, "residual share")?, "payout")?));
    }
    let residual = residual.add(cash, "residual")?.sub(pref, "residual")?;
    if residual < Decimal::ZERO {
        return Ok(None);
    }
    let dps = waterfall::distribution_read(charter, terms, proceeds)?;
    let room = match waterfall::sharing(terms, id, dps)? {
        waterfall::Sharing::No => return Ok(Some(pref)),
        waterfall::Sharing::Uncapped => None,
        waterfall::Sharing::Upto(per_share) => Some(n.mul(per_share, "participation cap")?),
    };
    let level_cap = room.map(|r| r.div(a, "level")).transpose()?;
    let level = reached.solve(Some(id), (id, a, level_cap), residual)?;
    let share = level.mul(a, "participation")?;
    Ok(Some(
        pref.add(room.map_or(share, |r| share.min(r)), "payout")?,
    ))
}

/// The walk's decisions at exit `x`, found without walking, where every
/// decider has a price and no participation is conditional; `None`
/// otherwise (the walk decides).
///
/// With prices, the deciders convert in order of price: the group at the
/// k-th price has converted at `x` exactly when `x` is past the exit at which
/// the residual's level reaches that price with the groups below it
/// converted — the crossing the walk computes, rounded the same way. Those
/// exits rise with k, so a binary search over the price groups finds the
/// last group converted: O(log G) waterfalls instead of one per regime.
/// `units` are the charter's deciders and `priced` their prices at `x`.
pub(crate) fn direct(
    charter: &Charter,
    terms: &Terms,
    units: &[(Unit, Cite)],
    priced: &[Option<Price>],
    x: Decimal,
) -> Result<Option<Decisions>, Kind> {
    if terms.conditional() {
        return Ok(None);
    }
    if priced.iter().any(Option::is_none) {
        return Ok(None);
    }
    let mut levels: Vec<Decimal> = priced
        .iter()
        .filter_map(|p| match p {
            Some(Price::At(v)) => Some(*v),
            _ => None,
        })
        .collect();
    levels.sort();
    levels.dedup();
    // The decisions with every group priced at or below `upto` converted.
    let below = |upto: Option<Decimal>| -> Decisions {
        let mut d = super::deciders::nobody(charter);
        for ((unit, _), price) in units.iter().zip(priced) {
            if let (Some(u), Some(Price::At(p))) = (upto, price)
                && *p <= u
            {
                toggle_in(charter, &mut d, unit);
            }
        }
        d
    };
    // Whether the group at `levels[k]` has converted at `x`.
    let converted = |k: usize| -> Result<bool, Kind> {
        let Some(&p) = levels.get(k) else {
            return Ok(false);
        };
        let base = build(
            charter,
            terms,
            &below(k.checked_sub(1).and_then(|j| levels.get(j).copied())),
            x,
        )?;
        Ok(match waterfall::at_level(&base.w, p)? {
            Some(y) => x > y.sub(base.paid, "exit")?.round_dp(PLACES),
            None => false,
        })
    };
    // The first group not converted.
    let (mut lo, mut hi) = (0usize, levels.len());
    while lo < hi {
        // lo < hi, so the midpoint and its successor stay in range.
        let mid = lo.saturating_add(hi.saturating_sub(lo) / 2);
        if converted(mid)? {
            lo = mid.saturating_add(1);
        } else {
            hi = mid;
        }
    }
    Ok(Some(below(
        lo.checked_sub(1).and_then(|j| levels.get(j).copied()),
    )))
}
