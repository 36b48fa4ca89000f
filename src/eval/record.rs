//! Dividends owed to the shares of record.
//!
//! A dividend declared, or a cumulative dividend accrued, is owed to the
//! shares outstanding when it was declared or as it accrued; a share issued
//! later by exercising an option or warrant is owed none of it. Where such
//! shares take part in a payout, a class's preference (or cash on converting)
//! is therefore not the same for every share: each share is owed the
//! amount per share before dividends, and the shares of record the dividends
//! besides. The waterfall pays the class one claim (so a shortfall among
//! classes weighs it once); [`Owed`] says how what that claim pays divides
//! between the two kinds of shares, and the residual beyond it divides by
//! shares as before.
//!
//! Within the class, a shortfall is shared in proportion to what each share
//! is owed: the reading the charters' "ratably in proportion to the full
//! amounts to which they would otherwise be entitled" gives among classes.

use rust_decimal::Decimal;

use crate::diagnostic::Kind;
use crate::num::{Checked, Fraction};

/// A class's claim ahead of the residual when shares issued on exercise take
/// part beside the shares of record and dividends are owed to the latter
/// only.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Owed {
    /// The whole claim: every share's amount before dividends, plus the
    /// dividends owed.
    pub full: Decimal,
    /// The dividends owed to the shares of record, in all.
    pub dividends: Decimal,
    /// Shares of record (outstanding before any exercise).
    pub record: Decimal,
    /// Shares taking part (of record and issued on exercise).
    pub taking_part: Decimal,
}

impl Owed {
    /// How a class total divides into what its claim paid and what the
    /// residual paid beyond it: the claim is paid in full before the class
    /// takes any of the residual.
    pub fn stages(&self, total: Decimal) -> Result<(Decimal, Decimal), Kind> {
        let claim = total.min(self.full).max(Decimal::ZERO);
        Ok((claim, total.sub(claim, "residual")?))
    }

    /// The share of what the claim pays that `held` shares take: shares of
    /// record take their amount before dividends and the dividends, shares
    /// issued on exercise the amount before dividends only. O(1).
    pub fn claim_share(&self, held: Decimal, of_record: bool) -> Result<Fraction, Kind> {
        let (n, o, f) = (self.taking_part, self.record, self.full);
        let before = f.sub(self.dividends, "amount before dividends")?;
        if of_record {
            // The shares of record take o·before/n + dividends of f, shared
            // among them by shares.
            let top = o
                .mul(before, "claim of the shares of record")?
                .add(n.mul(self.dividends, "dividends owed")?, "claim")?;
            let bottom = n.mul(f, "claim")?;
            Ok(Fraction::new(top, bottom).times(Fraction::new(held, o)))
        } else {
            Ok(Fraction::new(before, f).times(Fraction::new(held, n)))
        }
    }

    /// What `held` shares take of a class total `total`: their part of the
    /// claim, then their part by shares of the residual.
    pub fn amount(&self, total: Decimal, held: Decimal, of_record: bool) -> Result<Decimal, Kind> {
        let (claim, residual) = self.stages(total)?;
        let share = self.claim_share(held, of_record)?;
        let from_claim = crate::num::scale(claim, share.num, share.den, "claim share")?;
        let from_residual = crate::num::scale(residual, held, self.taking_part, "residual share")?;
        from_claim.add(from_residual, "payout")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// 1,000 shares of record owed $1.00 each and $0.50 of dividends, 1,000
    /// issued on exercise owed $1.00: a claim of $2,500, of which the record
    /// takes 1,500/2,500 and the exercised shares 1,000/2,500.
    fn owed() -> Owed {
        Owed {
            full: d("2500"),
            dividends: d("500"),
            record: d("1000"),
            taking_part: d("2000"),
        }
    }

    #[test]
    fn the_claim_divides_by_what_each_share_is_owed() {
        let o = owed();
        assert_eq!(o.claim_share(d("1000"), true).unwrap().decimal(), d("0.6"));
        assert_eq!(o.claim_share(d("1000"), false).unwrap().decimal(), d("0.4"));
        // Half the claim paid ($1,250): $750 and $500.
        assert_eq!(o.amount(d("1250"), d("1000"), true).unwrap(), d("750"));
        assert_eq!(o.amount(d("1250"), d("1000"), false).unwrap(), d("500"));
    }

    #[test]
    fn the_residual_beyond_the_claim_divides_by_shares() {
        // $3,500: the claim's $2,500, then $1,000 by shares, $500 each.
        let o = owed();
        assert_eq!(o.stages(d("3500")).unwrap(), (d("2500"), d("1000")));
        assert_eq!(o.amount(d("3500"), d("1000"), true).unwrap(), d("2000"));
        assert_eq!(o.amount(d("3500"), d("1000"), false).unwrap(), d("1500"));
    }
}
