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

mod read;

pub use read::{at_level, fill, level_at, locate, pour, take, totals_of};
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
    /// Where its receiving claims (class, weight, reason) lie in
    /// [`Waterfall::claims`]: those still unpaid in a water-fill are the
    /// ones at the highest levels, so each tranche is a suffix of its
    /// stage's claims and no tranche copies them.
    pub claims: std::ops::Range<usize>,
    /// The sum of the weights.
    pub weight: Decimal,
    /// The claims paid in full at its end (class and reason): what makes
    /// the next tranche split differently.
    pub ends: Vec<(ClassId, usize)>,
    /// Part of the residual (else of a rank's preferences).
    pub residual: bool,
    /// The amount per unit of weight paid at its end, counted from the start
    /// of its rank (or of the residual); `None` for the unbounded tranche.
    pub level: Option<Decimal>,
}

impl Tranche {
    /// The share of this tranche that a weight takes. Every path that pays
    /// from a tranche divides here, so that a payout computed directly and
    /// one read off the exit curve do the same arithmetic.
    pub fn rate(&self, weight: Decimal) -> Result<Decimal, Kind> {
        weight.div(self.weight, "pro rata share")
    }
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
    /// Every stage's claims, each stage's in order of the level at which
    /// it is paid in full; the tranches are ranges of these.
    pub claims: Vec<(ClassId, Decimal, usize)>,
    /// Reasons referred to by the tranches.
    pub reasons: Vec<Reason>,
}

impl Waterfall {
    /// The receiving classes of a tranche, their weights and reasons.
    pub fn shares(&self, t: &Tranche) -> &[(ClassId, Decimal, usize)] {
        self.claims.get(t.claims.clone()).unwrap_or(&[])
    }
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
    let shares = shares_as_converted(charter)?;
    if shares.is_zero() {
        return Ok(Decimal::ZERO);
    }
    exit.div(shares, "distribution per share")
}

/// How a class shares the residual beyond its preference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sharing {
    /// It does not (or not at this distribution per share).
    No,
    /// Without limit.
    Uncapped,
    /// Up to this much per share.
    Upto(Decimal),
}

/// How class `id` shares the residual under `terms` at distribution per
/// share `dps`: its cap less the preference for a cap "in total", the cap
/// itself for one "more". The waterfall, the deciders' prices and their
/// alternatives all read it here.
pub fn sharing(terms: &Terms, id: ClassId, dps: Decimal) -> Result<Sharing, Kind> {
    let Some(Some(p)) = terms.participation.get(id) else {
        return Ok(Sharing::No);
    };
    if !p.active(dps) {
        return Ok(Sharing::No);
    }
    let pref = terms
        .preference
        .get(id)
        .and_then(|p| p.as_ref())
        .map_or(Decimal::ZERO, |p| p.per_share);
    Ok(match p.cap {
        None => Sharing::Uncapped,
        Some(Cap::Total(c)) => Sharing::Upto(c.sub(pref, "participation cap")?.max(Decimal::ZERO)),
        Some(Cap::More(c)) => Sharing::Upto(c),
    })
}

/// The distribution per share where some participation under `terms`
/// depends on it, else zero: only conditional participation reads it, and it
/// sums every class.
pub fn distribution_read(charter: &Charter, terms: &Terms, exit: Decimal) -> Result<Decimal, Kind> {
    if terms.conditional() {
        distribution_per_share(charter, exit)
    } else {
        Ok(Decimal::ZERO)
    }
}

/// Every class's outstanding shares as converted, in all: what the
/// distribution per share divides by.
pub fn shares_as_converted(charter: &Charter) -> Result<Decimal, Kind> {
    let mut shares = Decimal::ZERO;
    for c in &charter.classes {
        let as_converted = c
            .outstanding
            .mul(c.ratio.unwrap_or(Decimal::ONE), "shares as converted")?;
        shares = shares.add(as_converted, "shares as converted")?;
    }
    Ok(shares)
}

/// Builds the waterfall for `decisions`, with the reason for every share.
pub fn build(
    charter: &Charter,
    terms: &Terms,
    decisions: &Decisions,
    exit: Decimal,
) -> Result<Waterfall, Kind> {
    build_with(charter, terms, decisions, exit, true)
}

/// Builds the waterfall for `decisions` without reasons (every share's
/// reason is 0, and `reasons` is empty): what reading amounts off it needs,
/// for the many waterfalls a search builds and never explains.
pub fn build_bare(
    charter: &Charter,
    terms: &Terms,
    decisions: &Decisions,
    exit: Decimal,
) -> Result<Waterfall, Kind> {
    build_with(charter, terms, decisions, exit, false)
}

fn build_with(
    charter: &Charter,
    terms: &Terms,
    decisions: &Decisions,
    exit: Decimal,
    explain: bool,
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
    // A clause is known by its span: comparing spans, not clause texts,
    // keeps this cheap, and a reason is copied only when first met.
    // A clause is known by its span, so the search compares numbers; a
    // reason is copied only when first met, and not at all when nobody will
    // read it.
    let mut reason = |what: &str, cite: &Cite| -> usize {
        if !explain {
            return 0;
        }
        if let Some(i) = reasons
            .iter()
            .position(|r| r.cite.span == cite.span && r.what == what)
        {
            return i;
        }
        reasons.push(Reason {
            what: what.to_string(),
            cite: cite.clone(),
        });
        reasons.len().saturating_sub(1)
    };

    let mut all = Vec::new();

    // Cash on conversion stated to rank ahead of other classes is paid just
    // before the first rank holding any of them (or its own, if that comes
    // first), shared in proportion to the amounts owed.
    // O(N) where no cash ranks ahead; else O(N + ahead classes named).
    let mut ahead_at: Vec<Option<usize>> = vec![None; classes.len()];
    let mut ahead_in: Vec<Vec<ClassId>> = Vec::new();
    if charter
        .conversion
        .rights
        .iter()
        .flatten()
        .any(|r| !r.cash_ahead_of.is_empty())
    {
        let mut rank_of: Vec<Option<usize>> = vec![None; classes.len()];
        for (i, rank) in terms.ranks.iter().enumerate() {
            for &id in &rank.classes {
                if let Some(slot) = rank_of.get_mut(id) {
                    *slot = Some(i);
                }
            }
        }
        let rank = |id: ClassId| rank_of.get(id).copied().flatten();
        for (id, right) in charter.conversion.rights.iter().enumerate() {
            let Some(right) = right.as_ref().filter(|r| !r.cash_ahead_of.is_empty()) else {
                continue;
            };
            if let Some(slot) = ahead_at.get_mut(id).filter(|_| converted(id)) {
                *slot = right
                    .cash_ahead_of
                    .iter()
                    .filter_map(|&a| rank(a))
                    .chain(rank(id))
                    .min();
            }
        }
        ahead_in = vec![Vec::new(); terms.ranks.len()];
        for (id, at) in ahead_at.iter().enumerate() {
            if let Some(list) = at.and_then(|r| ahead_in.get_mut(r)) {
                list.push(id);
            }
        }
    }

    // 1. Preferences, and cash on conversion, by rank.
    for (r_index, rank) in terms.ranks.iter().enumerate() {
        let mut ahead = Vec::new();
        for &id in ahead_in.get(r_index).map_or(&[][..], Vec::as_slice) {
            let Some(Some(right)) = charter.conversion.rights.get(id) else {
                continue;
            };
            let cash = charter.conversion_cash(id)?;
            if n(id).is_zero() || cash.is_zero() {
                continue;
            }
            let cite = right.cash_cite.as_ref().unwrap_or(&right.cite);
            let full = n(id).mul(cash, "cash on conversion")?;
            ahead.push(Claim {
                class: id,
                room: Some(full),
                weight: full,
                reason: reason("cash on conversion", cite),
            });
        }
        if !ahead.is_empty() {
            tranches.extend(water_fill(ahead, false, &mut all)?);
        }
        let mut claims = Vec::new();
        for &id in &rank.classes {
            let Some(Some(pref)) = terms.preference.get(id) else {
                continue;
            };
            // A converted class claims its cash on conversion (unless that
            // ranks ahead) with its accrued dividends paid on converting, in
            // its own rank: one claim, so that a shortfall weighs it once.
            let (per_share, r) = if converted(id) {
                let Some(Some(right)) = charter.conversion.rights.get(id) else {
                    continue;
                };
                let cash = if ahead_at.get(id).copied().flatten().is_none() {
                    charter.conversion_cash(id)?
                } else {
                    Decimal::ZERO
                };
                let cash_cite = right.cash_cite.as_ref().unwrap_or(&right.cite);
                match terms.conversion_dividends.get(id).and_then(|d| d.as_ref()) {
                    Some(cd) if !cd.per_share.is_zero() => {
                        let what = conversion_words(explain, cash.is_zero(), &cd.words);
                        let cite = if cash.is_zero() { &cd.cite } else { cash_cite };
                        (
                            cash.add(cd.per_share, "cash on conversion")?,
                            reason(&what, cite),
                        )
                    }
                    _ => (cash, reason("cash on conversion", cash_cite)),
                }
            } else {
                (
                    charter
                        .classes
                        .get(id)
                        .and_then(|c| pref.with_dividends(c))
                        .ok_or_else(|| Kind::Overflow("preference with dividends".to_string()))?,
                    reason("liquidation preference", &pref.cite),
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
                    // The checker requires an issue price of every class
                    // sharing by it; without one the class would weigh nothing.
                    let ip = charter
                        .classes
                        .get(id)
                        .and_then(|c| c.issue_price)
                        .unwrap_or_default();
                    n(id).mul(ip, "shortfall weight")?
                }
            };
            claims.push(Claim {
                class: id,
                room: Some(full),
                weight,
                reason: r,
            });
        }
        tranches.extend(water_fill(claims, false, &mut all)?);
    }

    // 2. The residual, as converted.
    let dps = distribution_read(charter, terms, exit)?;
    let mut participants = Vec::new();
    for (id, class) in classes.iter().enumerate() {
        if n(id).is_zero() {
            continue;
        }
        let ratio = class.ratio.unwrap_or(Decimal::ONE);
        let as_converted = n(id).mul(ratio, "shares as converted")?;
        if class.common {
            let r = reason("residual, as common stock", block);
            participants.push(Claim {
                class: id,
                room: None,
                weight: as_converted,
                reason: r,
            });
        } else if converted(id) {
            let cite = charter
                .conversion
                .rights
                .get(id)
                .and_then(|r| r.as_ref())
                .map_or(block, |r| &r.cite);
            let r = reason("residual, as converted to common", cite);
            participants.push(Claim {
                class: id,
                room: None,
                weight: as_converted,
                reason: r,
            });
        } else if let Some(Some(p)) = terms.participation.get(id) {
            let room = match sharing(terms, id, dps)? {
                Sharing::No => continue,
                Sharing::Uncapped => None,
                Sharing::Upto(per_share) => Some(n(id).mul(per_share, "participation cap")?),
            };
            let r = reason("participation", &p.cite);
            participants.push(Claim {
                class: id,
                room,
                weight: as_converted,
                reason: r,
            });
        }
    }
    tranches.extend(water_fill(participants, true, &mut all)?);
    Ok(Waterfall {
        proceeds,
        shares,
        tranches,
        claims: all,
        reasons,
    })
}

/// A claim on a stretch of the waterfall: `room` is what the class can take
/// there (`None`: without limit), `weight` how it shares with the others.
struct Claim {
    class: ClassId,
    room: Option<Decimal>,
    weight: Decimal,
    reason: usize,
}

/// Water-fills claims: money is split by weight, and a class leaves once it
/// has taken its room; claims without limit make the last tranche unbounded.
/// Sorting by level makes this O(n log n) for n claims, plus the size of the
/// tranches' share lists.
fn water_fill(
    mut claims: Vec<Claim>,
    residual: bool,
    all: &mut Vec<(ClassId, Decimal, usize)>,
) -> Result<Vec<Tranche>, Kind> {
    claims.retain(|c| c.weight > Decimal::ZERO);
    // The level (amount per unit of weight) at which each claim is full.
    let mut levels: Vec<(Option<Decimal>, &Claim)> = Vec::new();
    for c in &claims {
        let level = c.room.map(|r| r.div(c.weight, "level")).transpose()?;
        levels.push((level, c));
    }
    // Limited claims in order of level, then the unlimited ones.
    levels.sort_by_key(|(l, _)| (l.is_none(), *l));
    let base = all.len();
    all.extend(levels.iter().map(|(_, c)| (c.class, c.weight, c.reason)));
    let end = all.len();
    let mut out: Vec<Tranche> = Vec::new();
    let mut prev = Decimal::ZERO;
    // The weight still active, less each claim as it fills.
    let mut weight = sum(levels.iter().map(|(_, c)| c.weight), "weights")?;
    let mut i = 0;
    while let Some((level, _)) = levels.get(i) {
        let active = levels.get(i..).unwrap_or(&[]);
        let range = base.saturating_add(i)..end;
        let Some(level) = *level else {
            out.push(Tranche {
                size: None,
                claims: range,
                weight,
                ends: Vec::new(),
                residual,
                level: None,
            });
            break;
        };
        // Every claim full at this level ends with this tranche.
        let full = active.iter().take_while(|(l, _)| *l == Some(level)).count();
        let ends: Vec<(ClassId, usize)> = active
            .iter()
            .take(full)
            .map(|(_, c)| (c.class, c.reason))
            .collect();
        let size = level.sub(prev, "level")?.mul(weight, "tranche")?;
        if size > Decimal::ZERO {
            out.push(Tranche {
                size: Some(size),
                claims: range,
                weight,
                ends,
                residual,
                level: Some(level),
            });
        } else if let Some(last) = out.last_mut() {
            // A claim with nothing left to take ends with the tranche before.
            last.ends.extend(ends);
        }
        for (_, c) in active.iter().take(full) {
            weight = weight.sub(c.weight, "weights")?;
        }
        prev = level;
        i = i.saturating_add(full);
    }
    Ok(out)
}

/// The reason for what a converted class is paid on converting: words only
/// for an explanation, since the walk's bare waterfalls are built many times
/// and read none.
fn conversion_words(explain: bool, no_cash: bool, dividends: &str) -> String {
    match (explain, no_cash) {
        (false, _) => String::new(),
        (true, true) => format!("accrued dividends on conversion, {dividends}"),
        (true, false) => format!("cash on conversion, with accrued dividends {dividends}"),
    }
}
