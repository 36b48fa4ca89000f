//! SAFEs (Simple Agreements for Future Equity) and convertible notes,
//! lowered to classes.
//!
//! A SAFE is written as a `safe` block and lowered to a class of one
//! "share" (the agreement) whose original issue price is its Purchase
//! Amount: at a Liquidity Event its holder receives the greater of the
//! Cash-Out Amount (the Purchase Amount, a 1x non-participating preference)
//! and the Conversion Amount (what the common shares it converts into are
//! paid) — exactly a class converting at its holder's option. Where it
//! ranks against the preferred, and how a shortfall is shared, the
//! `liquidation` block states, as for any class.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Cite, Class, Pool};
use crate::syntax::ast::DayCount;

/// A convertible promissory note's own terms, beside those it shares with a
/// SAFE (form, cap, discount): lowered like a SAFE, with the amount owed
/// (principal and interest to the scenario's date) in place of the
/// Purchase Amount, and its change-of-control terms in place of the
/// Cash-Out Amount.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// Principal.
    pub principal: Decimal,
    /// Annual interest rate, compounding annually or simple, by a day count.
    pub interest: (Decimal, bool, DayCount),
    /// Interest runs from here.
    pub issued: NaiveDate,
    /// Maturity: recorded.
    pub maturity: Option<NaiveDate>,
    /// At a change of control: this multiple of principal and interest…
    pub multiple: Decimal,
    /// …or, where greater, conversion at the cap.
    pub converts: bool,
}

/// The terms of a SAFE (or, with `note`, a convertible note).
#[derive(Debug, Clone, PartialEq)]
pub struct Safe {
    /// The post-money form (its Liquidity Capitalization counts the SAFEs
    /// themselves); else the pre-money form (which leaves them out).
    pub post_money: bool,
    /// The Purchase Amount.
    pub purchase: Decimal,
    /// The valuation cap (Post-Money or pre-money, by the form), if any.
    pub cap: Option<Decimal>,
    /// The Discount Rate (100% less the discount), if any.
    pub discount_rate: Option<Decimal>,
    /// The Cash-Out Amount's multiple of the purchase amount (1 in the
    /// standard form).
    pub exit_multiple: Decimal,
    /// Most favored nation: recorded; the holder elects to take a later
    /// SAFE's terms, which the charter then states.
    pub mfn: bool,
    /// Pro rata rights: recorded.
    pub pro_rata: bool,
    /// The block.
    pub cite: Cite,
    /// A convertible note's own terms; `None` for a SAFE.
    pub note: Option<Box<Note>>,
}

impl Safe {
    /// What it is: `a SAFE` or `a convertible note`.
    pub fn kind(&self) -> &'static str {
        if self.note.is_some() {
            "a convertible note"
        } else {
            "a SAFE"
        }
    }

    /// What its holder is paid without converting, and by converting, in
    /// the instrument's own words.
    pub fn words(&self) -> (&'static str, &'static str) {
        if self.note.is_some() {
            ("change-of-control amount", "conversion at the cap")
        } else {
            (
                "Cash-Out Amount",
                "Conversion Amount at the Liquidity Price",
            )
        }
    }
}

/// The capitalization before the SAFEs and notes: every class but them
/// outstanding (the preferred as converted), and the options and warrants
/// outstanding. Both the Liquidity Capitalization and a round's Company
/// Capitalization start from it. `None` where it overflows.
pub fn outstanding_as_converted(classes: &[Class], pools: &[Pool]) -> Option<Decimal> {
    let mut total = Decimal::ZERO;
    for c in classes.iter().filter(|c| c.safe.is_none()) {
        let as_converted = if c.common {
            c.outstanding
        } else {
            c.outstanding.checked_mul(c.ratio.unwrap_or(Decimal::ONE))?
        };
        total = total.checked_add(as_converted)?;
    }
    for p in pools {
        total = total.checked_add(p.count)?;
    }
    Some(total)
}

/// The common shares each capped SAFE converts into at a Liquidity Event,
/// by class (`None` for a class that is no SAFE, or a SAFE without a cap,
/// whose Conversion Amount at the fair market value of common never
/// exceeds its Purchase Amount): the Purchase Amount divided by the
/// Liquidity Price, which is the cap divided by the Liquidity
/// Capitalization.
///
/// The Liquidity Capitalization counts the capital stock outstanding (the
/// preferred as converted), and the options and warrants outstanding, but
/// not the unissued pool. The post-money form counts the SAFEs as converted
/// too: with `k` the sum of their purchase amounts over their caps, it is
/// `C / (1 − k)` for `C` the rest, so each SAFE converts into
/// `purchase × C / ((1 − k) × cap)`. The pre-money form leaves the SAFEs
/// out: `purchase × C / cap`. O(N) for N classes and pools. The error says
/// why the shares cannot be found.
pub fn liquidity_shares(classes: &[Class], pools: &[Pool]) -> Result<Vec<Option<Decimal>>, String> {
    let too_large = || "the Liquidity Capitalization is too large to compute".to_string();
    let rest = outstanding_as_converted(classes, pools).ok_or_else(too_large)?;
    // What each converts: the Purchase Amount, or a note's principal and
    // interest (its issue price as the scenario sets it).
    let amount = |c: &Class, s: &Safe| c.issue_price.unwrap_or(s.purchase);
    let converting = |s: &Safe| s.note.as_ref().is_none_or(|n| n.converts);
    let safes: Vec<&Safe> = classes
        .iter()
        .filter_map(|c| c.safe.as_deref())
        .filter(|s| converting(s))
        .collect();
    let post = safes.iter().any(|s| s.post_money && s.cap.is_some());
    if post && let Some(other) = safes.iter().find(|s| !s.post_money || s.cap.is_none()) {
        return Err(format!(
            "a post-money SAFE's Liquidity Capitalization counts every other SAFE as converted, and {} converts at a price the sale sets; reading the two together is not supported yet",
            if other.post_money {
                "a SAFE without a valuation cap"
            } else {
                "a pre-money SAFE"
            }
        ));
    }
    // The post-money SAFEs' share of the capitalization they are part of.
    let mut k = Decimal::ZERO;
    for c in classes {
        let Some(s) = c.safe.as_deref().filter(|s| s.post_money && converting(s)) else {
            continue;
        };
        if let Some(cap) = s.cap {
            k = k
                .checked_add(amount(c, s).checked_div(cap).ok_or_else(too_large)?)
                .ok_or_else(too_large)?;
        }
    }
    if k >= Decimal::ONE {
        return Err(
            "the post-money SAFEs' and notes' amounts add up to their valuation caps or more, so they would own all of the company"
                .to_string(),
        );
    }
    let whole = Decimal::ONE.checked_sub(k).ok_or_else(too_large)?;
    classes
        .iter()
        .map(|c| {
            let Some(s) = c.safe.as_deref().filter(|s| converting(s)) else {
                return Ok(None);
            };
            let Some(cap) = s.cap else { return Ok(None) };
            let divisor = if s.post_money {
                whole.checked_mul(cap).ok_or_else(too_large)?
            } else {
                cap
            };
            // purchase × C first: the one division comes last.
            let shares = amount(c, s)
                .checked_mul(rest)
                .and_then(|x| x.checked_div(divisor))
                .ok_or_else(too_large)?;
            Ok(Some(shares))
        })
        .collect()
}
