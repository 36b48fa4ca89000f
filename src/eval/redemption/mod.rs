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

use chrono::NaiveDate;
use rust_decimal::Decimal;

mod claims;
mod holders;
mod price;

pub use super::obligations::Obligation;
use super::scenario::{Scenario, add};
use super::{apportion, dividends};
use crate::diagnostic::Kind;
use crate::ir::{Carry, Cite, ClassId, PartYear, Penalty, When};
use crate::num::{self, Checked};
use claims::{Claim, Day};
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
    if let (Some(cite), Some(made)) = (&r.before_offering, s.offerings.first())
        && *made <= date
    {
        return Err(Kind::Impossible(format!(
            "no shares are redeemable: the redemption provisions apply only while no public offering has been made{}, and the offering of {made} is one",
            cite.paren()
        )));
    }
    dividends::set_accrued(s)?;
    let day = Day {
        r: &r,
        date,
        upon_transaction,
        requests,
        fmv,
    };
    let mut assumptions = Vec::new();
    let mut claims = claims::owed(s, &day)?;
    let scheduled = claims::scheduled(s, &day, &mut claims, &mut assumptions)?;
    if !scheduled && claims.is_empty() {
        return Err(claims::nothing_scheduled(s, &r, date));
    }

    let outcomes = fund(&r, &claims, funds)?;
    let classes = settle(s, &r, &claims, outcomes)?;
    Ok(RedeemOutcome {
        date,
        funds,
        classes,
        assumptions,
    })
}

/// Funds the claims tier by tier (classes listed first in an order clause
/// come first): each claim's index, shares redeemed, and each holder
/// block's, where holders request their own.
fn fund(
    r: &crate::ir::Redemption,
    claims: &[Claim],
    funds: Option<Decimal>,
) -> Result<Vec<(usize, Decimal, Vec<Decimal>)>, Kind> {
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
            // "The maximum possible number of shares" (Avesta § A.3(e)): the
            // class's whole shares that the funds buy, shared among the
            // holders' requests by the remainder rule (flooring each
            // holder's part alone left a share the funds could pay for).
            let exact: Vec<Decimal> = c
                .blocks
                .iter()
                .map(|b| b.1.mul(fraction, "redeemed"))
                .collect::<Result<_, Kind>>()?;
            let shares = if exact.is_empty() {
                c.requested.mul(fraction, "redeemed")?.floor()
            } else {
                num::sum(exact.iter().copied(), "redeemed")?.floor()
            };
            let per_block = if exact.is_empty() {
                Vec::new()
            } else {
                crate::eval::apportion::to_whole(shares, &exact)?
            };
            if let Some(f) = left.as_mut() {
                *f = f
                    .sub(shares.mul(c.price, "paid")?, "funds")?
                    .max(Decimal::ZERO);
            }
            outcomes.push((i, shares, per_block));
        }
    }
    Ok(outcomes)
}

/// Pays what each claim redeemed: the amount to the cent, the shortfall
/// owed from the claim's date, the shares taken from the holders.
fn settle(
    s: &mut Scenario,
    r: &crate::ir::Redemption,
    claims: &[Claim],
    outcomes: Vec<(usize, Decimal, Vec<Decimal>)>,
) -> Result<Vec<ClassRedemption>, Kind> {
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
    Ok(out)
}
