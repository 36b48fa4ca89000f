//! The liquidation waterfall for one set of conversion decisions.
//!
//! The waterfall is a list of tranches, each a size (or unbounded) and the
//! weights by which it is split among classes. Money fills the tranches in
//! order. For fixed decisions, every class's payout is therefore piecewise
//! linear in the amount distributed, with a breakpoint at each cumulative
//! tranche boundary — the form from which exit-value breakpoints are derived.
//!
//! Order of tranches:
//! 1. each rank's claims, most senior first: the preferences of the classes
//!    that did not convert, and the cash owed on conversion to those that did
//!    (a class converting "into common plus cash" keeps its place in the
//!    ranking for the cash: a senior preference is "prior ... to any
//!    distribution" to the junior holders, 001 section 2(a)). A shortfall
//!    within a rank is shared by the rank's rule, water-filling so that no
//!    class is paid beyond its full claim;
//! 2. the residual, shared as converted among common, converted classes and
//!    participating classes, each capped class dropping out at its cap.

use rust_decimal::Decimal;

use crate::diagnostic::Kind;
use crate::ir::{Cap, Charter, Cite, ClassId, ShortfallRule, Terms};
use crate::num::{Checked, sum};

/// Which units have converted or exercised.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decisions {
    /// Per class: converted into common.
    pub converted: Vec<bool>,
    /// Per pool: exercised.
    pub exercised: Vec<bool>,
}

/// Why a class receives a share of a tranche.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// What the amount is, in words.
    pub what: String,
    /// The clause that pays it.
    pub cite: Cite,
}

/// One slice of the distribution and how it is split.
#[derive(Debug, Clone)]
pub struct Tranche {
    /// Its size; `None` for the last, unbounded one.
    pub size: Option<Decimal>,
    /// Each receiving class, its weight, and why it receives.
    pub shares: Vec<(ClassId, Decimal, usize)>,
}

/// The waterfall for one set of decisions.
#[derive(Debug, Clone)]
pub struct Waterfall {
    /// Amount distributed: the exit plus exercise prices paid in.
    pub proceeds: Decimal,
    /// Shares of each class taking part, including exercised options and warrants.
    pub shares: Vec<Decimal>,
    /// The tranches in payment order.
    pub tranches: Vec<Tranche>,
    /// Reasons referred to by the tranches.
    pub reasons: Vec<Reason>,
}

/// What each class receives, in total and by reason.
#[derive(Debug, Clone)]
pub struct Fill {
    /// Total per class (on its shares including exercised pools).
    pub total: Vec<Decimal>,
    /// Amount per class per reason index.
    pub by_reason: Vec<Vec<(usize, Decimal)>>,
    /// Amount no class could take.
    pub unclaimed: Decimal,
}

/// The distribution per share that conditional participation is tested
/// against: the exit divided by all shares as if every preferred share had
/// converted (000 section 2(a)(vii), "Distribution Amount").
pub fn distribution_per_share(charter: &Charter, exit: Decimal) -> Result<Decimal, Kind> {
    let mut shares = Decimal::ZERO;
    for c in &charter.classes {
        let as_converted = c
            .outstanding
            .mul(c.ratio.unwrap_or(Decimal::ONE), "shares as converted")?;
        shares = shares.add(as_converted, "shares as converted")?;
    }
    if shares.is_zero() {
        return Ok(Decimal::ZERO);
    }
    exit.div(shares, "distribution per share")
}

/// Builds the waterfall for `decisions`.
pub fn build(
    charter: &Charter,
    terms: &Terms,
    decisions: &Decisions,
    exit: Decimal,
) -> Result<Waterfall, Kind> {
    let classes = &charter.classes;
    let mut shares: Vec<Decimal> = classes.iter().map(|c| c.outstanding).collect();
    let mut proceeds = exit;
    for (pool, _) in charter
        .pools
        .iter()
        .zip(&decisions.exercised)
        .filter(|(_, e)| **e)
    {
        if let Some(s) = shares.get_mut(pool.class) {
            *s = s.add(pool.count, "shares after exercise")?;
        }
        proceeds = proceeds.add(
            pool.count.mul(pool.strike, "exercise price paid")?,
            "amount distributed",
        )?;
    }
    let block = &terms.cite;
    let converted = |id: ClassId| decisions.converted.get(id).copied().unwrap_or(false);
    let n = |id: ClassId| shares.get(id).copied().unwrap_or(Decimal::ZERO);
    let mut tranches = Vec::new();
    let mut reasons: Vec<Reason> = Vec::new();
    let mut reason = |what: String, cite: &Cite| -> usize {
        if let Some(i) = reasons
            .iter()
            .position(|r| r.what == what && r.cite == *cite)
        {
            return i;
        }
        reasons.push(Reason {
            what,
            cite: cite.clone(),
        });
        reasons.len() - 1
    };

    // 1. Preferences, and cash on conversion, by rank.
    for rank in &terms.ranks {
        let mut claims = Vec::new();
        for &id in &rank.classes {
            let Some(Some(pref)) = terms.preference.get(id) else {
                continue;
            };
            let (per_share, r) = if converted(id) {
                let Some(Some(right)) = charter.conversion.get(id) else {
                    continue;
                };
                let cite = right.cash_cite.as_ref().unwrap_or(&right.cite);
                (
                    right.cash_per_share,
                    reason("cash on conversion".to_string(), cite),
                )
            } else {
                (
                    pref.per_share,
                    reason("liquidation preference".to_string(), &pref.cite),
                )
            };
            if n(id).is_zero() || per_share.is_zero() {
                continue;
            }
            let full = n(id).mul(per_share, "full preferential amount")?;
            let weight = match rank.rule {
                ShortfallRule::ByPreference => full,
                ShortfallRule::ByShares => n(id),
                ShortfallRule::ByIssuePrice => {
                    let ip = charter
                        .classes
                        .get(id)
                        .and_then(|c| c.issue_price)
                        .unwrap_or(Decimal::ONE);
                    n(id).mul(ip, "shortfall weight")?
                }
            };
            claims.push((id, full, weight, r));
        }
        tranches.extend(water_fill(claims)?);
    }

    // 2. The residual, as converted.
    let dps = distribution_per_share(charter, exit)?;
    let mut participants = Vec::new();
    for (id, class) in classes.iter().enumerate() {
        if n(id).is_zero() {
            continue;
        }
        let ratio = class.ratio.unwrap_or(Decimal::ONE);
        let as_converted = n(id).mul(ratio, "shares as converted")?;
        if class.common {
            let r = reason("residual, as common stock".to_string(), block);
            participants.push((id, None, as_converted, r));
        } else if converted(id) {
            let cite = charter
                .conversion
                .get(id)
                .and_then(|r| r.as_ref())
                .map_or(block, |r| &r.cite);
            let r = reason("residual, as converted to common".to_string(), cite);
            participants.push((id, None, as_converted, r));
        } else if let Some(Some(p)) = terms.participation.get(id) {
            if !p.participates || p.while_under.is_some_and(|t| dps >= t) {
                continue;
            }
            let pref = terms
                .preference
                .get(id)
                .and_then(|p| p.as_ref())
                .map_or(Decimal::ZERO, |p| p.per_share);
            let room = match p.cap {
                None => None,
                Some(Cap::Total(c)) => Some(n(id).mul(
                    c.sub(pref, "participation cap")?.max(Decimal::ZERO),
                    "participation cap",
                )?),
                Some(Cap::More(c)) => Some(n(id).mul(c, "participation cap")?),
            };
            let r = reason("participation".to_string(), &p.cite);
            participants.push((id, room, as_converted, r));
        }
    }
    tranches.extend(residual(participants)?);
    Ok(Waterfall {
        proceeds,
        shares,
        tranches,
        reasons,
    })
}

/// Water-fills claims `(class, full amount, weight, reason)`: money is split by
/// weight, and a class leaves once it has its full amount.
fn water_fill(mut claims: Vec<(ClassId, Decimal, Decimal, usize)>) -> Result<Vec<Tranche>, Kind> {
    claims.retain(|c| c.2 > Decimal::ZERO);
    // The level (amount per unit of weight) at which each claim is full.
    let mut levels = Vec::new();
    for c in &claims {
        levels.push((c.1.div(c.2, "shortfall level")?, *c));
    }
    levels.sort_by_key(|a| a.0);
    let mut out = Vec::new();
    let mut prev = Decimal::ZERO;
    for i in 0..levels.len() {
        let Some((level, _)) = levels.get(i) else {
            break;
        };
        let active = levels.get(i..).unwrap_or(&[]);
        let weight = sum(active.iter().map(|a| a.1.2), "shortfall weights")?;
        let size = level.sub(prev, "shortfall level")?.mul(weight, "tranche")?;
        if size > Decimal::ZERO {
            out.push(Tranche {
                size: Some(size),
                shares: active.iter().map(|a| (a.1.0, a.1.2, a.1.3)).collect(),
            });
        }
        prev = *level;
    }
    Ok(out)
}

/// The residual tranches: participants `(class, cap room, as-converted shares,
/// reason)` share pro rata; the one with the least room per share leaves first.
fn residual(
    participants: Vec<(ClassId, Option<Decimal>, Decimal, usize)>,
) -> Result<Vec<Tranche>, Kind> {
    let mut capped = Vec::new();
    let mut open = Vec::new();
    for p in participants {
        match p.1 {
            Some(room) => capped.push((room.div(p.2, "participation level")?, p)),
            None => open.push(p),
        }
    }
    capped.sort_by_key(|a| a.0);
    let mut out = Vec::new();
    let mut prev = Decimal::ZERO;
    for i in 0..capped.len() {
        let Some((level, _)) = capped.get(i) else {
            break;
        };
        let active: Vec<(ClassId, Decimal, usize)> = capped
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .map(|c| (c.1.0, c.1.2, c.1.3))
            .chain(open.iter().map(|o| (o.0, o.2, o.3)))
            .collect();
        let weight = sum(active.iter().map(|a| a.1), "residual shares")?;
        let size = level
            .sub(prev, "participation level")?
            .mul(weight, "tranche")?;
        if size > Decimal::ZERO {
            out.push(Tranche {
                size: Some(size),
                shares: active,
            });
        }
        prev = *level;
    }
    if !open.is_empty() {
        out.push(Tranche {
            size: None,
            shares: open.iter().map(|o| (o.0, o.2, o.3)).collect(),
        });
    }
    Ok(out)
}

/// Pours the proceeds through the tranches.
pub fn fill(w: &Waterfall, classes: usize) -> Result<Fill, Kind> {
    let mut total = vec![Decimal::ZERO; classes];
    let mut by_reason: Vec<Vec<(usize, Decimal)>> = vec![Vec::new(); classes];
    let mut remaining = w.proceeds;
    for t in &w.tranches {
        if remaining <= Decimal::ZERO {
            break;
        }
        let take = t.size.map_or(remaining, |s| s.min(remaining));
        let weight = sum(t.shares.iter().map(|s| s.1), "tranche weights")?;
        if weight.is_zero() {
            continue;
        }
        for (id, w_i, r) in &t.shares {
            // Divide first: weight × amount could exceed what a decimal holds.
            let part = take.mul(w_i.div(weight, "pro rata share")?, "pro rata amount")?;
            if let Some(slot) = total.get_mut(*id) {
                *slot = slot.add(part, "class payout")?;
            }
            if let Some(lines) = by_reason.get_mut(*id) {
                match lines.iter_mut().find(|l| l.0 == *r) {
                    Some(l) => l.1 = l.1.add(part, "class payout")?,
                    None => lines.push((*r, part)),
                }
            }
        }
        remaining = remaining.sub(take, "remaining proceeds")?;
    }
    Ok(Fill {
        total,
        by_reason,
        unclaimed: remaining.max(Decimal::ZERO),
    })
}
