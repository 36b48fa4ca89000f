//! `redeem on DATE [funds $X] [requests A 50%, ...] [at $FMV]`: shares
//! redeemed on a scheduled date, at the charter's price, in the charter's
//! order; a shortfall of funds shared by the charter's rule and carried as an
//! obligation that grows by the late penalty until paid.
//!
//! A tranche makes eligible a fraction of the class's shares outstanding on
//! the date and not already owed from an earlier date (of those outstanding
//! at the first tranche, when it carries over shares eligible before and not
//! redeemed). Holders request a share of what
//! is eligible: all, unless the statement says otherwise. Shares are redeemed
//! whole; the late penalty compounds on whole years, and the days past the
//! last anniversary of the due date count as the clause says (pro rata,
//! actual/365, or not at all).

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

pub use super::obligations::Obligation;
use super::scenario::{Scenario, add};
use super::{apportion, dividends};
use crate::diagnostic::Kind;
use crate::ir::{Carry, Cite, ClassId, PartYear, Penalty, When};
use crate::num::{self, Checked};

/// What happened to one class.
#[derive(Debug, Clone)]
pub struct ClassRedemption {
    /// Display name.
    pub name: String,
    /// Shares eligible now (scheduled), or still owed (obligations).
    pub eligible: Decimal,
    /// Shares requested.
    pub requested: Decimal,
    /// Shares redeemed.
    pub redeemed: Decimal,
    /// Price per share, penalty included.
    pub price: Decimal,
    /// Amount paid, to the cent.
    pub paid: Decimal,
    /// Shares requested and not redeemed, now owed.
    pub short: Decimal,
    /// How the figures came about.
    pub notes: Vec<String>,
    /// The clauses.
    pub cites: Vec<Cite>,
    /// Named holders' shares redeemed and amounts paid (and the rest of the class).
    pub holders: Vec<(String, Decimal, Decimal)>,
}

/// The answer to `redeem on DATE`.
#[derive(Debug, Clone)]
pub struct RedeemOutcome {
    /// The date.
    pub date: NaiveDate,
    /// Funds available, if limited.
    pub funds: Option<Decimal>,
    /// Per class.
    pub classes: Vec<ClassRedemption>,
    /// What the answer assumes.
    pub assumptions: Vec<String>,
}

/// The penalty factor from `due` to `date` at the penalty's rate a year,
/// compounded annually; a part of a year after the last whole one counts as
/// the clause says, and where it says nothing the answer is refused rather
/// than guessed.
pub fn penalty_factor(p: &Penalty, due: NaiveDate, date: NaiveDate) -> Result<Decimal, Kind> {
    let rate = p.rate;
    let mut years = 0i32;
    let mut anniversary = due;
    while let Some(next) = due.with_year(due.year().saturating_add(years).saturating_add(1)) {
        if next > date {
            break;
        }
        years = years.saturating_add(1);
        anniversary = next;
    }
    let mut f = Decimal::ONE;
    for _ in 0..years {
        f = f.mul(Decimal::ONE.add(rate, "penalty")?, "penalty")?;
    }
    let days = Decimal::from(date.signed_duration_since(anniversary).num_days().max(0));
    if days.is_zero() {
        return Ok(f);
    }
    match p.part_year {
        Some(PartYear::NotCounted) => Ok(f),
        Some(PartYear::ProRata) => {
            let part = Decimal::ONE.add(
                rate.mul(days, "penalty")?
                    .div(Decimal::from(365), "penalty")?,
                "penalty",
            )?;
            f.mul(part, "penalty")
        }
        None => Err(Kind::MissingFact(format!(
            "the late penalty runs {days} days past a whole year, and the charter file does not say how a part of a year counts: add `, a part of a year pro rata` or `, a part of a year not counted` to the `late:` clause"
        ))),
    }
}

/// The redemption price of a share of `c` on the scenario's date (its
/// accrued dividends set): its preference with dividends, or the greater of
/// that and the fair market value where the charter says so.
fn price_on(
    s: &Scenario,
    r: &crate::ir::Redemption,
    c: ClassId,
    fmv: Option<Decimal>,
) -> Result<(Decimal, Option<Cite>), Kind> {
    let class = s
        .charter
        .classes
        .get(c)
        .ok_or_else(|| Kind::Overflow("redemption class".to_string()))?;
    let (greater, cite) = match r.price.get(c).cloned().flatten() {
        Some((g, cite)) => (g, Some(cite)),
        None => (false, None),
    };
    let pref = s
        .charter
        .liquidation
        .preference
        .get(c)
        .and_then(|p| p.as_ref())
        .ok_or_else(|| {
            Kind::MissingFact(format!(
                "`{}` has no liquidation preference to redeem at",
                class.name
            ))
        })?
        .with_dividends(class)
        .ok_or_else(|| Kind::Overflow("redemption price".to_string()))?;
    if !greater {
        return Ok((pref, cite));
    }
    match fmv {
        Some(v) => Ok((v.max(pref), cite)),
        None => Err(Kind::MissingFact(format!(
            "`{}` is redeemed at the greater of fair market value and its preference ({}): give the value with `at $X`",
            class.name,
            num::dollars(pref)
        ))),
    }
}

/// Shares redeemed from each holder pro rata (a class-wide redemption): the
/// holders' payments and shares redeemed, and their counts reduced.
fn pro_rata(
    s: &mut Scenario,
    class: ClassId,
    before: Decimal,
    redeemed: Decimal,
    paid: Decimal,
) -> Result<Vec<(String, Decimal, Decimal)>, Kind> {
    let holders = apportion::to_holders(&s.charter, class, before, paid)?
        .into_iter()
        .map(|(n, sh, a)| {
            let redeemed_h = if before.is_zero() {
                Decimal::ZERO
            } else {
                num::scale(redeemed, sh, before, "shares redeemed")
                    .unwrap_or_default()
                    .round_dp(4)
            };
            (n, redeemed_h, a)
        })
        .collect();
    if let Some(c) = Arc::make_mut(&mut s.charter).classes.get_mut(class) {
        c.outstanding = before.sub(redeemed, "outstanding")?;
        if !before.is_zero() {
            let keep = c.outstanding;
            for h in Arc::make_mut(&mut s.charter)
                .holders
                .iter_mut()
                .filter(|h| h.class == class)
            {
                h.shares = h
                    .shares
                    .mul(keep, "holder's shares")?
                    .div(before, "pro rata")?;
            }
        }
    }
    Ok(holders)
}

/// Each holder's own shares redeemed (`blocks`: named holders by index, the
/// rest of the class last): the payment split by them to the cent, and each
/// named holder's count reduced by its own.
fn own_shares(
    s: &mut Scenario,
    class: ClassId,
    blocks: &[(Option<usize>, Decimal)],
    per_block: &[Decimal],
    price: Decimal,
    redeemed: Decimal,
    paid: Decimal,
) -> Result<Vec<(String, Decimal, Decimal)>, Kind> {
    let exact: Vec<Decimal> = per_block
        .iter()
        .map(|r| r.mul(price, "paid"))
        .collect::<Result<_, _>>()?;
    let cents = apportion::to_cents(paid, &exact)?;
    let mut holders = Vec::new();
    for ((b, r), amount) in blocks.iter().zip(per_block).zip(cents) {
        let name = match b.0 {
            Some(h) => {
                if let Some(x) = Arc::make_mut(&mut s.charter).holders.get_mut(h) {
                    x.shares = x.shares.sub(*r, "holder's shares")?;
                }
                s.charter
                    .holders
                    .get(h)
                    .map(|x| x.name.clone())
                    .unwrap_or_default()
            }
            None => format!("other holders of {}", s.name(class)),
        };
        holders.push((name, *r, amount));
    }
    if let Some(c) = Arc::make_mut(&mut s.charter).classes.get_mut(class) {
        c.outstanding = c.outstanding.sub(redeemed, "outstanding")?;
    }
    Ok(holders)
}

/// Each holder's eligible shares of `class` for a tranche of `n/d` of its
/// shares, in whole shares: named holders by index, then the rest of the
/// class (its holders unknown, counted together). Shares already owed from
/// an earlier date are taken from each holder pro rata (`holding` of the
/// class's outstanding remain). Empty where the charter names no holder of
/// the class: the class's own count is then the same figure.
///
/// With `in_all` (a cumulative schedule, the class's shares at its first
/// tranche) each holder's eligible shares are `n/d` of what it held then,
/// less what it has had redeemed or owed since.
fn holder_blocks(
    s: &Scenario,
    class: ClassId,
    holding: Decimal,
    (n, d): (Decimal, Decimal),
    in_all: Option<Decimal>,
) -> Result<Vec<(Option<usize>, Decimal)>, Kind> {
    let outstanding = s
        .charter
        .classes
        .get(class)
        .map(|c| c.outstanding)
        .unwrap_or_default();
    let named: Vec<(usize, Decimal)> = s
        .charter
        .holders
        .iter()
        .enumerate()
        .filter(|(_, h)| h.class == class)
        .map(|(i, h)| (i, h.shares))
        .collect();
    if named.is_empty() || outstanding.is_zero() {
        return Ok(Vec::new());
    }
    let held = num::sum(named.iter().map(|h| h.1), "shares held")?;
    // Each block's shares at the first tranche, for a cumulative schedule.
    let first_of = |i: usize, now: Decimal| {
        s.redemption_base_holders
            .get(i)
            .copied()
            .flatten()
            .unwrap_or(now)
    };
    let mut blocks: Vec<(Option<usize>, Decimal, Decimal)> = named
        .iter()
        .map(|&(i, sh)| (Some(i), sh, first_of(i, sh)))
        .collect();
    let rest = outstanding.sub(held, "other holders")?;
    if rest > Decimal::ZERO {
        let named_first = num::sum(blocks.iter().map(|b| b.2), "shares held")?;
        let rest_first = match in_all {
            Some(first) => first.sub(named_first, "other holders")?,
            None => rest,
        };
        blocks.push((None, rest, rest_first));
    }
    blocks
        .into_iter()
        .map(|(h, shares, first)| {
            let holding_b = if holding == outstanding {
                shares
            } else {
                num::scale(shares, holding, outstanding, "shares held")?
            };
            let e = match in_all {
                None => holding_b.mul(n, "eligible")?.div(d, "eligible")?.floor(),
                Some(_) => cumulative(first, holding_b, (n, d))?,
            };
            Ok((h, e))
        })
        .collect()
}

/// Under a cumulative schedule (`in all`): `n/d` of the shares held at the
/// first tranche, in whole shares, less those redeemed or owed since (all
/// that is no longer held), never below none and never above what is held.
fn cumulative(first: Decimal, held: Decimal, (n, d): (Decimal, Decimal)) -> Result<Decimal, Kind> {
    let cap = first.mul(n, "eligible")?.div(d, "eligible")?.floor();
    let taken = first.sub(held, "shares redeemed or owed")?;
    Ok(cap.sub(taken, "eligible")?.max(Decimal::ZERO).min(held))
}

/// Redeems what is scheduled or owed on `date`.
pub fn redeem(
    s: &mut Scenario,
    date: NaiveDate,
    upon_transaction: bool,
    funds: Option<Decimal>,
    requests: &[(ClassId, Decimal)],
    fmv: Option<Decimal>,
) -> Result<RedeemOutcome, Kind> {
    let Some(r) = s.charter.redemption.clone() else {
        return Err(Kind::MissingFact(
            "the charter file states no redemption provisions".to_string(),
        ));
    };
    dividends::set_accrued(s)?;
    let mut assumptions = Vec::new();
    // Claims: (class, eligible, requested, price, notes, cites, is_obligation, due)
    struct Claim {
        class: ClassId,
        eligible: Decimal,
        requested: Decimal,
        price: Decimal,
        notes: Vec<String>,
        cites: Vec<Cite>,
        due: NaiveDate,
        /// Each holder's own request (named holders by index, then the rest
        /// of the class), where holders request their own shares.
        blocks: Vec<(Option<usize>, Decimal)>,
    }
    let mut claims: Vec<Claim> = Vec::new();

    // Obligations from earlier dates: with the late penalty on the price when
    // due, where the charter states one (Avesta § A.3(f)); otherwise at the
    // price due now, since shares not redeemed stay outstanding and their
    // dividends keep accruing (SCC § 5(d): redeemed "as soon as sufficient
    // funds are legally available", at the Series C Liquidation Amount then).
    for ob in std::mem::take(&mut s.obligations) {
        let (price, note, cite) = match &r.penalty {
            Some(p) => (
                ob.price.mul(penalty_factor(p, ob.due, date)?, "penalty")?,
                format!(
                    "owed since {} at {}; {} a year compounded annually to {date}{}",
                    ob.due,
                    num::exact_dollars(ob.price.round_dp(4)),
                    num::percent(p.rate),
                    match p.part_year {
                        Some(PartYear::ProRata) => ", a part of a year pro rata",
                        Some(PartYear::NotCounted) => ", a part of a year not counted",
                        None => "",
                    }
                ),
                Some(p.cite.clone()),
            ),
            None => {
                let (now, cite) = price_on(s, &r, ob.class, fmv)?;
                (
                    now,
                    format!(
                        "owed since {} at {}; at the price due on {date}",
                        ob.due,
                        num::exact_dollars(ob.price.round_dp(4))
                    ),
                    cite,
                )
            }
        };
        claims.push(Claim {
            class: ob.class,
            eligible: ob.shares,
            requested: ob.shares,
            price,
            notes: vec![note],
            cites: cite.into_iter().collect(),
            due: ob.due,
            blocks: Vec::new(),
        });
    }

    // Tranches falling on this date.
    let mut scheduled = false;
    for (si, sched) in r.schedules.iter().enumerate() {
        for &c in &sched.classes {
            let Some(class) = s.charter.classes.get(c).cloned() else {
                continue;
            };
            for (ti, (fraction, carry, when)) in sched.tranches.iter().enumerate() {
                let falls = match when {
                    When::Date(d) => *d == date,
                    When::Anniversary(n) => {
                        class
                            .issued
                            .and_then(|d| add(d, crate::ir::Duration::Years(*n)))
                            == Some(date)
                    }
                    When::Transaction => upon_transaction,
                };
                let once = !matches!(when, When::Transaction);
                if !falls || (once && s.tranches_done.contains(&(si, ti, c))) {
                    continue;
                }
                if *when == When::Transaction {
                    assumptions.push(format!(
                        "the transaction is not treated as a liquidation and would pay {} less than its liquidation preference{}",
                        class.name,
                        sched.cite.paren()
                    ));
                }
                scheduled = true;
                s.tranches_done.push((si, ti, c));
                let first_base = *s
                    .redemption_base
                    .get(c)
                    .and_then(|b| b.as_ref())
                    .unwrap_or(&class.outstanding);
                // The first tranche records what each holder held then, for a
                // cumulative schedule.
                if let Some(slot) = s.redemption_base.get_mut(c)
                    && slot.is_none()
                {
                    *slot = Some(class.outstanding);
                    let firsts: Vec<(usize, Decimal)> = s
                        .charter
                        .holders
                        .iter()
                        .enumerate()
                        .filter(|(_, h)| h.class == c)
                        .map(|(i, h)| (i, h.shares))
                        .collect();
                    for (i, sh) in firsts {
                        if let Some(b) = s.redemption_base_holders.get_mut(i) {
                            *b = Some(sh);
                        }
                    }
                }
                let fraction_words = |n: &Decimal, d: &Decimal| {
                    if *d == Decimal::ONE_HUNDRED {
                        format!("{}%", n.normalize())
                    } else {
                        format!("{}/{}", n.normalize(), d.normalize())
                    }
                };
                let carried = match carry {
                    Carry::None | Carry::InAll => Decimal::ZERO,
                    Carry::Unredeemed => s.redemption_carry.get(c).map_or(Decimal::ZERO, |x| x.1),
                    Carry::AllEligible => s.redemption_carry.get(c).map_or(Decimal::ZERO, |x| x.0),
                };
                // Shares already owed from an earlier date are requested
                // already: a new tranche counts the rest.
                let owed = num::sum(
                    claims
                        .iter()
                        .filter(|o| o.class == c && o.due < date)
                        .map(|o| o.requested),
                    "owed",
                )?;
                let holding = class
                    .outstanding
                    .sub(owed, "shares held")?
                    .max(Decimal::ZERO);
                let pct = requests
                    .iter()
                    .find(|x| x.0 == c)
                    .map_or(Decimal::ONE, |x| x.1);
                // "up to one-third, as requested by such holder, of the ...
                // shares held by such holder" (Avesta § A.3(a)): where each
                // holder requests its own shares, each request is its own
                // whole number of shares.
                let in_all = (*carry == Carry::InAll).then_some(first_base);
                let blocks = match fraction {
                    Some((n, d))
                        if sched.election.is_none()
                            && matches!(carry, Carry::None | Carry::InAll) =>
                    {
                        holder_blocks(s, c, holding, (*n, *d), in_all)?
                    }
                    _ => Vec::new(),
                };
                let (eligible, how) = match fraction {
                    None => (
                        holding,
                        "all shares outstanding and not already owed".to_string(),
                    ),
                    Some((n, d)) if !blocks.is_empty() => (
                        num::sum(blocks.iter().map(|b| b.1), "eligible")?,
                        match in_all {
                            None => format!(
                                "up to {} of each holder's {} shares, in whole shares",
                                fraction_words(n, d),
                                num::shares(holding)
                            ),
                            Some(first) => format!(
                                "up to {} in all of each holder's {} shares at the first tranche, less those redeemed or owed since, in whole shares",
                                fraction_words(n, d),
                                num::shares(first)
                            ),
                        },
                    ),
                    Some((n, d)) if in_all.is_some() => (
                        cumulative(first_base, holding, (*n, *d))?,
                        format!(
                            "up to {} in all of the {} shares at the first tranche, less {} redeemed or owed since",
                            fraction_words(n, d),
                            num::shares(first_base),
                            num::shares(first_base.sub(holding, "shares redeemed or owed")?)
                        ),
                    ),
                    Some((n, d)) => {
                        let carries = *carry != Carry::None;
                        let base = if carries { first_base } else { holding };
                        let mut e = base.mul(*n, "eligible")?.div(*d, "eligible")?.floor();
                        let mut how = format!(
                            "up to {} of {} shares",
                            fraction_words(n, d),
                            num::shares(base)
                        );
                        if carries {
                            e = e.add(carried, "eligible")?;
                            how = match carry {
                                Carry::AllEligible => format!(
                                    "{how} plus the {} eligible before",
                                    num::shares(carried)
                                ),
                                _ => format!("{how} plus {} carried over", num::shares(carried)),
                            };
                        }
                        (e.min(holding), how)
                    }
                };
                let blocks: Vec<(Option<usize>, Decimal)> = blocks
                    .into_iter()
                    .map(|(h, e)| Ok((h, e.mul(pct, "requested")?.floor())))
                    .collect::<Result<_, Kind>>()?;
                let requested = if blocks.is_empty() {
                    eligible.mul(pct, "requested")?.floor()
                } else {
                    num::sum(blocks.iter().map(|b| b.1), "requested")?
                };
                // Carry-over: eligible shares not requested stay eligible.
                if let Some(slot) = s.redemption_carry.get_mut(c) {
                    *slot = (eligible, eligible.sub(requested, "carry-over")?);
                }
                if let Some((t, electors)) = &sched.election {
                    let names: Vec<String> = electors.iter().map(|e| s.name(*e)).collect();
                    assumptions.push(format!(
                        "holders of {} of {} elect to redeem{}",
                        t.words(),
                        names.join(", "),
                        sched.cite.paren()
                    ));
                }
                let (price, price_cite) = price_on(s, &r, c, fmv)?;
                let price_cite = price_cite.unwrap_or_else(|| sched.cite.clone());
                claims.push(Claim {
                    class: c,
                    eligible,
                    requested,
                    price,
                    notes: vec![how, format!("{} requested", num::percent(pct))],
                    cites: vec![sched.cite.clone(), price_cite],
                    due: date,
                    blocks,
                });
            }
        }
    }
    if !scheduled && claims.is_empty() {
        let mut dates = Vec::new();
        for sched in &r.schedules {
            for &c in &sched.classes {
                for (_, _, when) in &sched.tranches {
                    let d = match when {
                        When::Date(d) => Some(*d),
                        When::Anniversary(n) => s
                            .charter
                            .classes
                            .get(c)
                            .and_then(|x| x.issued)
                            .and_then(|d| add(d, crate::ir::Duration::Years(*n))),
                        When::Transaction => None,
                    };
                    if let Some(d) = d {
                        dates.push(d.to_string());
                    }
                }
            }
        }
        dates.sort();
        dates.dedup();
        return Err(Kind::Impossible(format!(
            "nothing is scheduled or owed for redemption on {date}; scheduled dates: {}",
            dates.join(", ")
        )));
    }

    // Fund tier by tier: classes listed first in an order clause come first.
    let tier = |c: ClassId| {
        if r.order.iter().any(|o| o.0.contains(&c)) {
            0
        } else {
            1
        }
    };
    let mut left = funds;
    // Claim index, shares redeemed, and each holder block's.
    let mut outcomes: Vec<(usize, Decimal, Vec<Decimal>)> = Vec::new();
    for t in 0..2 {
        let idx: Vec<usize> = (0..claims.len())
            .filter(|&i| claims.get(i).is_some_and(|c| tier(c.class) == t))
            .collect();
        let mut cost = Decimal::ZERO;
        for c in idx.iter().filter_map(|&i| claims.get(i)) {
            cost = cost.add(c.requested.mul(c.price, "redemption")?, "redemption")?;
        }
        // The same fraction of every claim: pro rata by shares requested and
        // by amount agree when each class has one price.
        let fraction = match left {
            Some(f) if f < cost && !cost.is_zero() => f.div(cost, "pro rata")?,
            _ => Decimal::ONE,
        };
        for i in idx {
            let Some(c) = claims.get(i) else { continue };
            let per_block: Vec<Decimal> = c
                .blocks
                .iter()
                .map(|b| Ok(b.1.mul(fraction, "redeemed")?.floor()))
                .collect::<Result<_, Kind>>()?;
            let shares = if per_block.is_empty() {
                c.requested.mul(fraction, "redeemed")?.floor()
            } else {
                num::sum(per_block.iter().copied(), "redeemed")?
            };
            if let Some(f) = left.as_mut() {
                *f = f
                    .sub(shares.mul(c.price, "paid")?, "funds")?
                    .max(Decimal::ZERO);
            }
            outcomes.push((i, shares, per_block));
        }
    }

    let mut out = Vec::new();
    for (i, redeemed, per_block) in outcomes {
        let Some(c) = claims.get(i) else { continue };
        let paid = redeemed
            .mul(c.price, "paid")?
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        let short = c.requested.sub(redeemed, "short")?;
        if short > Decimal::ZERO {
            s.obligations.push(Obligation {
                class: c.class,
                shares: short,
                price: c.price,
                due: c.due,
            });
        }
        // Redeemed shares leave the class: each holder's own, or pro rata.
        let before_shares = s
            .charter
            .classes
            .get(c.class)
            .map(|x| x.outstanding)
            .unwrap_or_default();
        let holders = if per_block.is_empty() {
            pro_rata(s, c.class, before_shares, redeemed, paid)?
        } else {
            own_shares(s, c.class, &c.blocks, &per_block, c.price, redeemed, paid)?
        };
        let mut notes = c.notes.clone();
        if let (Some(by_amount), true) = (r.shortfall.as_ref().map(|x| x.0), short > Decimal::ZERO)
        {
            notes.push(format!(
                "funds short: shared pro rata by {}; {} shares owed from {} with the late penalty",
                if by_amount {
                    "redemption amount"
                } else {
                    "shares requested"
                },
                num::shares(short),
                c.due
            ));
        }
        let mut cites = c.cites.clone();
        if short > Decimal::ZERO {
            cites.extend(r.shortfall.iter().map(|x| x.1.clone()));
        }
        out.push(ClassRedemption {
            name: s.name(c.class),
            eligible: c.eligible,
            requested: c.requested,
            redeemed,
            price: c.price,
            paid,
            short,
            notes,
            cites,
            holders,
        });
    }
    Ok(RedeemOutcome {
        date,
        funds,
        classes: out,
        assumptions,
    })
}
