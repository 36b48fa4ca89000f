//! Rounding to the cent so that the parts sum exactly to the whole.
//!
//! The remainder rule (largest remainder): each part is rounded down to the
//! cent; the cents still missing from the total go one each to the parts with
//! the largest dropped fractions, ties to the part listed first (declaration
//! order). Exact inputs that are already whole cents are never changed.

use rust_decimal::Decimal;

use crate::diagnostic::Kind;

/// Apportions `total` (whole cents) among `parts`, whose exact sum is `total`
/// up to rounding in the last digits.
pub fn to_cents(total: Decimal, parts: &[Decimal]) -> Result<Vec<Decimal>, Kind> {
    let cent = Decimal::new(1, 2);
    let mut floors = Vec::with_capacity(parts.len());
    let mut rests = Vec::with_capacity(parts.len());
    for p in parts {
        let p = (*p).max(Decimal::ZERO);
        let f = p.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
        // Division leaves noise in the last of 28 digits; fractions equal to
        // ten places are a tie, settled by declaration order.
        rests.push((p - f).round_dp(10));
        floors.push(f);
    }
    let floor_sum = floors
        .iter()
        .try_fold(Decimal::ZERO, |a, f| a.checked_add(*f))
        .ok_or_else(|| Kind::Overflow("rounding to the cent".to_string()))?;
    let missing = ((total - floor_sum) / cent).round();
    let missing_count = usize::try_from(missing.mantissa()).unwrap_or(usize::MAX);
    if missing < Decimal::ZERO || missing_count > parts.len() {
        return Err(Kind::Overflow(format!(
            "rounding to the cent left {} unaccounted",
            crate::num::dollars(total - floor_sum)
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
            *f += cent;
        }
    }
    Ok(floors)
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
        list.push((name, shares_now - held));
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
