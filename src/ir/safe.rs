//! SAFEs (Simple Agreements for Future Equity), lowered to classes.
//!
//! A SAFE is written as a `safe` block and lowered to a class of one
//! "share" (the agreement) whose original issue price is its Purchase
//! Amount: at a Liquidity Event its holder receives the greater of the
//! Cash-Out Amount (the Purchase Amount, a 1x non-participating preference)
//! and the Conversion Amount (what the common shares it converts into are
//! paid) — exactly a class converting at its holder's option. Where it
//! ranks against the preferred, and how a shortfall is shared, the
//! `liquidation` block states, as for any class.

use rust_decimal::Decimal;

use super::{Cite, Class, Pool};

/// The terms of a SAFE.
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
    /// Most favored nation: recorded; the holder elects to take a later
    /// SAFE's terms, which the charter then states.
    pub mfn: bool,
    /// Pro rata rights: recorded.
    pub pro_rata: bool,
    /// The block.
    pub cite: Cite,
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
    let mut rest = Decimal::ZERO;
    for c in classes.iter().filter(|c| c.safe.is_none()) {
        let as_converted = if c.common {
            c.outstanding
        } else {
            c.outstanding
                .checked_mul(c.ratio.unwrap_or(Decimal::ONE))
                .ok_or_else(too_large)?
        };
        rest = rest.checked_add(as_converted).ok_or_else(too_large)?;
    }
    for p in pools {
        rest = rest.checked_add(p.count).ok_or_else(too_large)?;
    }
    let safes: Vec<&Safe> = classes.iter().filter_map(|c| c.safe.as_deref()).collect();
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
    for s in safes.iter().filter(|s| s.post_money) {
        if let Some(cap) = s.cap {
            k = k
                .checked_add(s.purchase.checked_div(cap).ok_or_else(too_large)?)
                .ok_or_else(too_large)?;
        }
    }
    if k >= Decimal::ONE {
        return Err(
            "the post-money SAFEs' purchase amounts add up to their valuation caps or more, so they would own all of the company"
                .to_string(),
        );
    }
    let whole = Decimal::ONE.checked_sub(k).ok_or_else(too_large)?;
    classes
        .iter()
        .map(|c| {
            let Some(s) = c.safe.as_deref() else {
                return Ok(None);
            };
            let Some(cap) = s.cap else { return Ok(None) };
            let divisor = if s.post_money {
                whole.checked_mul(cap).ok_or_else(too_large)?
            } else {
                cap
            };
            // purchase × C first: the one division comes last.
            let shares = s
                .purchase
                .checked_mul(rest)
                .and_then(|x| x.checked_div(divisor))
                .ok_or_else(too_large)?;
            Ok(Some(shares))
        })
        .collect()
}
