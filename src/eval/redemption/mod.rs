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

mod holders;
mod price;

pub use super::obligations::Obligation;
use super::scenario::{Scenario, add};
use super::{apportion, dividends};
use crate::diagnostic::Kind;
use crate::ir::{Carry, Cite, ClassId, PartYear, Penalty, When};
use crate::num::{self, Checked};
use holders::{cumulative, holder_blocks, own_shares, pro_rata};
pub use price::penalty_factor;
use price::price_on;

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
