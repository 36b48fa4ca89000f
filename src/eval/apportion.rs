//! Rounding to the cent so that the parts sum exactly to the whole.
//!
//! The remainder rule (largest remainder): each part is rounded down to the
//! cent; the cents still missing from the total go one each to the parts with
//! the largest dropped fractions, ties to the part listed first (declaration
//! order). Exact inputs that are already whole cents are never changed.

use rust_decimal::Decimal;

use crate::diagnostic::Kind;
use crate::num::Checked;

/// Apportions `total` (whole cents) among `parts`, whose exact sum is `total`
/// up to rounding in the last digits.
pub fn to_cents(total: Decimal, parts: &[Decimal]) -> Result<Vec<Decimal>, Kind> {
    let cent = Decimal::new(1, 2);
    let mut floors = Vec::with_capacity(parts.len());
    let mut rests = Vec::with_capacity(parts.len());
    for p in parts {
        // Division leaves noise in the last of 28 digits; fractions equal to
        // ten places are a tie, settled by declaration order.
        let (f, rest) = split_cent((*p).max(Decimal::ZERO))
            .ok_or_else(|| Kind::Overflow("rounding to the cent".to_string()))?;
        rests.push(rest);
        floors.push(f);
    }
    let floor_sum = floors
        .iter()
        .try_fold(Decimal::ZERO, |a, f| a.checked_add(*f))
        .ok_or_else(|| Kind::Overflow("rounding to the cent".to_string()))?;
    let short = total
        .checked_sub(floor_sum)
        .ok_or_else(|| Kind::Overflow("rounding to the cent".to_string()))?;
    let missing = short
        .checked_div(cent)
        .ok_or_else(|| Kind::Overflow("rounding to the cent".to_string()))?
        .round();
    let missing_count = usize::try_from(missing.mantissa()).unwrap_or(usize::MAX);
    if missing < Decimal::ZERO || missing_count > parts.len() {
        return Err(Kind::Overflow(format!(
            "rounding to the cent left {} unaccounted",
            crate::num::dollars(short)
        )));
    }
    if missing_count == 0 {
        return Ok(floors);
    }
    let mut order: Vec<usize> = (0..parts.len()).collect();
    // Stable sort: equal remainders keep declaration order.
    order.sort_by(|a, b| rests.get(*b).cmp(&rests.get(*a)));
    for i in order.into_iter().take(missing_count) {
        if let Some(f) = floors.get_mut(i) {
            *f = f
                .checked_add(cent)
                .ok_or_else(|| Kind::Overflow("rounding to the cent".to_string()))?;
        }
    }
    Ok(floors)
}

/// Apportions `total` whole shares among `parts` (exact counts whose sum is
/// at least `total` and less than `total` + the number of parts) by the same
/// remainder rule: each part rounded down, the shares still missing one
/// each to the largest fractions dropped, ties in order. Counted as cents
/// of a hundredth of a share, so that the rule is the one [`to_cents`] keeps.
pub fn to_whole(total: Decimal, parts: &[Decimal]) -> Result<Vec<Decimal>, Kind> {
    let hundredth = Decimal::new(1, 2);
    let scaled = parts
        .iter()
        .map(|p| p.mul(hundredth, "shares"))
        .collect::<Result<Vec<_>, _>>()?;
    to_cents(total.mul(hundredth, "shares")?, &scaled)?
        .into_iter()
        .map(|c| c.mul(Decimal::ONE_HUNDRED, "shares").map(|x| x.normalize()))
        .collect()
}

/// `p` (not negative) rounded down to the cent, and the fraction of a cent
/// dropped, in units of 10^-10 dollars rounded half to even: the figures of
/// `p.round_dp_with_strategy(2, ToZero)` and `(p − floor).round_dp(10)`,
/// computed on the mantissa with integer arithmetic, which is many times
/// faster on 28-digit decimals. `None` only past 128 bits, which a decimal's
/// 96-bit mantissa never reaches.
fn split_cent(p: Decimal) -> Option<(Decimal, i128)> {
    let (m, s) = (p.mantissa(), p.scale());
    if s <= 2 {
        return Some((p, 0));
    }
    let d = 10i128.checked_pow(s.checked_sub(2)?)?;
    let (cents, r) = (m.checked_div(d)?, m.checked_rem(d)?);
    // `r` counts units of 10^-s dollars; the key counts units of 10^-10.
    let key = if s <= 10 {
        r.checked_mul(10i128.checked_pow(10u32.checked_sub(s)?)?)?
    } else {
        let q = 10i128.checked_pow(s.checked_sub(10)?)?;
        let (k, rem) = (r.checked_div(q)?, r.checked_rem(q)?);
        let twice = rem.checked_mul(2)?;
        if twice > q || (twice == q && k % 2 == 1) {
            k.checked_add(1)?
        } else {
            k
        }
    };
    Some((Decimal::try_from_i128_with_scale(cents, 2).ok()?, key))
}

/// Splits a class's `total` (whole cents) among its named holders and the
/// rest of the class by shares, to the cent by the remainder rule. Returns
/// (holder, shares, amount); empty when the charter names no holder of it.
pub fn to_holders(
    charter: &crate::ir::Charter,
    class: usize,
    shares_now: Decimal,
    total: Decimal,
) -> Result<Vec<(String, Decimal, Decimal)>, Kind> {
    let named: Vec<(String, Decimal)> = charter
        .holders
        .iter()
        .filter(|h| h.class == class)
        .map(|h| (h.name.clone(), h.shares))
        .collect();
    if named.is_empty() || shares_now.is_zero() {
        return Ok(Vec::new());
    }
    let held = named
        .iter()
        .try_fold(Decimal::ZERO, |a, h| a.checked_add(h.1))
        .ok_or_else(|| Kind::Overflow("shares held".to_string()))?;
    let mut list = named;
    if shares_now > held {
        let name = charter
            .classes
            .get(class)
            .map_or(String::new(), |c| format!("other holders of {}", c.name));
        list.push((name, shares_now.sub(held, "other holders")?));
    }
    let parts: Vec<Decimal> = list
        .iter()
        .map(|(_, sh)| {
            total
                .checked_mul(*sh)
                .and_then(|x| x.checked_div(shares_now))
                .ok_or_else(|| Kind::Overflow("holder's share".to_string()))
        })
        .collect::<Result<_, _>>()?;
    let cents = to_cents(total, &parts)?;
    Ok(list
        .into_iter()
        .zip(cents)
        .map(|((n, sh), c)| (n, sh, c))
        .collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Parts that do not add up to the total are refused, never spread:
    /// 90 cents short of $1.00 over one part (more cents missing than parts),
    /// and a part above the total (cents to take back). A mutation that
    /// joined the two guards with `and` survived the suite before this test.
    #[test]
    fn parts_that_do_not_add_up_are_refused() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert!(to_cents(d("1.00"), &[d("0.10")]).is_err());
        assert!(to_cents(d("0.05"), &[d("0.10")]).is_err());
        assert_eq!(
            to_cents(d("0.10"), &[d("0.05"), d("0.05")]).unwrap(),
            [d("0.05"), d("0.05")]
        );
        // Two thirds of 10 cents each way: the leftover cent to the first.
        let third = d("0.10") / d("3");
        assert_eq!(
            to_cents(d("0.10"), &[third, third, third]).unwrap(),
            [d("0.04"), d("0.03"), d("0.03")]
        );
    }

    #[test]
    fn split_cent_is_rust_decimals_rounding() {
        // Every scale from 0 to 28, midpoints at the tenth place both ways,
        // and 28-digit quotients: the same floor and the same tie key.
        let mut values = vec![
            Decimal::ZERO,
            Decimal::new(5, 0),
            Decimal::new(12345, 1),
            Decimal::new(123456789, 2),
            // Exact ties at the eleventh place: $0.01234567895 keeps
            // 0.0023456790 (9 is odd, so up); $0.01234567885 keeps 0.0023456788.
            Decimal::new(1234567895, 11),
            Decimal::new(1234567885, 11),
            Decimal::new(12345678965, 12),
            Decimal::from_i128_with_scale(12_345_678_900_000_000_005, 20),
            Decimal::from_i128_with_scale(12_345_678_900_000_000_015, 20),
            Decimal::ONE / Decimal::from(3),
            Decimal::from(2_000_000) / Decimal::from(7),
            Decimal::from(10_000_000_000_000_000u64) / Decimal::from(3),
            Decimal::MAX,
        ];
        for s in 0..=28u32 {
            values.push(Decimal::from_i128_with_scale(
                7_922_816_251_426_433_759_354_395_033,
                s,
            ));
        }
        for v in values {
            let floor = v.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
            let rest = (v - floor).round_dp(10);
            let (f, key) = split_cent(v).unwrap();
            assert_eq!(f, floor, "floor of {v}");
            assert_eq!(Decimal::from_i128_with_scale(key, 10), rest, "rest of {v}");
        }
        assert_eq!(
            split_cent(Decimal::new(1234567895, 11)).unwrap().1,
            23_456_790
        );
        assert_eq!(
            split_cent(Decimal::new(1234567885, 11)).unwrap().1,
            23_456_788
        );
    }

    #[test]
    fn thirds_of_a_dollar() {
        // $1.00 in three equal parts: 33 cents each, the extra cent to the first.
        let third = Decimal::ONE / Decimal::from(3);
        let got = to_cents(Decimal::ONE, &[third, third, third]).unwrap();
        assert_eq!(
            got,
            vec![
                Decimal::new(34, 2),
                Decimal::new(33, 2),
                Decimal::new(33, 2)
            ]
        );
    }

    #[test]
    fn largest_remainder_wins() {
        // 0.004 + 0.006 = 0.01: the cent goes to the larger remainder.
        let got = to_cents(
            Decimal::new(1, 2),
            &[Decimal::new(4, 3), Decimal::new(6, 3)],
        )
        .unwrap();
        assert_eq!(got, vec![Decimal::ZERO, Decimal::new(1, 2)]);
    }
}
