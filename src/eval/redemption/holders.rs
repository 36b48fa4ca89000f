//! Redemption holder by holder: each holder's eligible shares when holders
//! request their own (and under a cumulative schedule), and the shares
//! redeemed taken from each holder, their own or pro rata.

use super::*;

/// Shares redeemed from each holder pro rata (a class-wide redemption): the
/// holders' payments and shares redeemed, and their counts reduced.
pub(super) fn pro_rata(
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
pub(super) fn own_shares(
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
pub(super) fn holder_blocks(
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
pub(super) fn cumulative(
    first: Decimal,
    held: Decimal,
    (n, d): (Decimal, Decimal),
) -> Result<Decimal, Kind> {
    let cap = first.mul(n, "eligible")?.div(d, "eligible")?.floor();
    let taken = first.sub(held, "shares redeemed or owed")?;
    Ok(cap.sub(taken, "eligible")?.max(Decimal::ZERO).min(held))
}
