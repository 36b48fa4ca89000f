//! Reading a built waterfall: what it pays at an amount distributed, level
//! by level and tranche by tranche. The direct payout and the exit curve both
//! read here, so that they do the same arithmetic.

use super::*;

/// The residual's level (amount per common-equivalent share) at proceeds
/// `y`, and its slope there (per dollar, just right of `y`): zero, flat,
/// before the residual begins.
pub fn level_at(w: &Waterfall, y: Decimal) -> Result<(Decimal, Decimal), Kind> {
    let mut start = Decimal::ZERO;
    let mut prev = Decimal::ZERO;
    for t in &w.tranches {
        let end = t.size.map(|s| start.add(s, "tranche end")).transpose()?;
        if t.residual && end.is_none_or(|e| y < e) {
            if y < start {
                return Ok((Decimal::ZERO, Decimal::ZERO));
            }
            let per = Decimal::ONE.div(t.weight, "level")?;
            return Ok((
                prev.add(y.sub(start, "level")?.div(t.weight, "level")?, "level")?,
                per,
            ));
        }
        if t.residual {
            prev = t.level.unwrap_or(prev);
        }
        match end {
            Some(e) => start = e,
            None => return Ok((prev, Decimal::ZERO)),
        }
    }
    // Past every tranche, nobody takes the next dollar (no common stock
    // outstanding, every participant capped): a common-equivalent share of
    // what is left would be worth more than any price, so the level is
    // unbounded there, and a class that can convert gains by converting.
    // At the last tranche's end itself converting pays the same as not,
    // and just right of it more: the level is read as unbounded there too,
    // so the point and the stretch after it agree.
    if y >= start {
        return Ok((Decimal::MAX, Decimal::ZERO));
    }
    // Inside a tranche past the residual's last one: the level stays where
    // that one left it.
    Ok((prev, Decimal::ZERO))
}

/// The proceeds at which the residual's level reaches `level`, or `None`
/// where it never does (an open tranche that is not the residual's). Where
/// nobody takes the dollars past the last tranche the level is unbounded
/// there, and reaches any price at its start.
pub fn at_level(w: &Waterfall, level: Decimal) -> Result<Option<Decimal>, Kind> {
    let mut start = Decimal::ZERO;
    let mut prev = Decimal::ZERO;
    for t in &w.tranches {
        if t.residual && t.level.is_none_or(|l| level < l) {
            // The same arithmetic as the tranche's size: level steps × weight.
            let into = level
                .max(prev)
                .sub(prev, "level")?
                .mul(t.weight, "tranche")?;
            return Ok(Some(start.add(into, "proceeds")?));
        }
        if t.residual {
            prev = t.level.unwrap_or(prev);
        }
        match t.size {
            Some(s) => start = start.add(s, "tranche end")?,
            None => return Ok(None),
        }
    }
    // Every tranche has an end and nobody takes the dollars past them: the
    // level passes every price at the first of those dollars.
    Ok(Some(start))
}

/// Where proceeds of `y` fall: the index of the tranche being filled (the
/// number of tranches when `y` is past them all) and the amount before it.
/// A tranche's end belongs to the next tranche.
pub fn locate(w: &Waterfall, y: Decimal) -> Result<(usize, Decimal), Kind> {
    let mut start = Decimal::ZERO;
    for (k, t) in w.tranches.iter().enumerate() {
        match t.size {
            Some(size) => {
                let end = start.add(size, "tranche end")?;
                if y < end {
                    return Ok((k, start));
                }
                start = end;
            }
            None => return Ok((k, start)),
        }
    }
    Ok((w.tranches.len(), start))
}

/// What the tranches before `upto` pay, each in full.
pub fn pour(w: &Waterfall, classes: usize, upto: usize) -> Result<Fill, Kind> {
    let mut f = Fill {
        total: vec![Decimal::ZERO; classes],
        by_reason: vec![Vec::new(); classes],
        unclaimed: Decimal::ZERO,
    };
    for t in w.tranches.iter().take(upto) {
        if let Some(size) = t.size {
            take(w, t, size, &mut f)?;
        }
    }
    Ok(f)
}

/// Adds `amount` of tranche `t` to `f`, split by weight: [`pour`] is this
/// for each tranche in turn, so pouring one more tranche onto a fill is the
/// same arithmetic as pouring them all.
pub fn take(w: &Waterfall, t: &Tranche, amount: Decimal, f: &mut Fill) -> Result<(), Kind> {
    if t.weight.is_zero() {
        return Ok(());
    }
    for (id, w_i, r) in w.shares(t) {
        // Divide first: weight × amount could exceed what a decimal holds.
        let part = amount.mul(t.rate(*w_i)?, "pro rata amount")?;
        if let Some(slot) = f.total.get_mut(*id) {
            *slot = slot.add(part, "class payout")?;
        }
        if let Some(lines) = f.by_reason.get_mut(*id) {
            match lines.iter_mut().find(|l| l.0 == *r) {
                Some(l) => l.1 = l.1.add(part, "class payout")?,
                None => lines.push((*r, part)),
            }
        }
    }
    Ok(())
}

/// The totals of the classes `ids` only, at the waterfall's proceeds: the
/// same additions [`fill`] makes for them, in the same order, without
/// paying every class. O(C log k + T log C + m) for C claims, k classes, T
/// tranches and the m shares of them these classes take: a water-fill of N
/// classes has N tranches of up to N claims, and a decider asks this of
/// every alternative.
pub fn totals_of(w: &Waterfall, ids: &[ClassId]) -> Result<Vec<Decimal>, Kind> {
    let (k, start) = locate(w, w.proceeds)?;
    let rest = w.proceeds.sub(start, "remaining proceeds")?;
    let mut out = vec![Decimal::ZERO; ids.len()];
    // Where the wanted classes' claims lie, in order, with their slots.
    let mut wanted: Vec<(ClassId, usize)> = ids
        .iter()
        .copied()
        .enumerate()
        .map(|(slot, id)| (id, slot))
        .collect();
    wanted.sort_unstable();
    let mut at: Vec<(usize, usize)> = Vec::new();
    for (pos, (id, _, _)) in w.claims.iter().enumerate() {
        let from = wanted.partition_point(|(x, _)| x < id);
        for (x, slot) in wanted.get(from..).unwrap_or_default() {
            if x != id {
                break;
            }
            at.push((pos, *slot));
        }
    }
    for (i, t) in w.tranches.iter().enumerate().take(k.saturating_add(1)) {
        let amount = if i < k {
            t.size.unwrap_or_default()
        } else {
            rest
        };
        if amount <= Decimal::ZERO && i == k {
            break;
        }
        let first = at.partition_point(|(pos, _)| *pos < t.claims.start);
        for (pos, slot) in at.get(first..).unwrap_or_default() {
            if *pos >= t.claims.end {
                break;
            }
            let (Some((_, w_i, _)), Some(total)) = (w.claims.get(*pos), out.get_mut(*slot)) else {
                continue;
            };
            *total = total.add(
                amount.mul(t.rate(*w_i)?, "pro rata amount")?,
                "class payout",
            )?;
        }
    }
    Ok(out)
}

/// Pours the proceeds through the tranches: the tranches before the one
/// the proceeds end in, in full ([`pour`]), then the part of that one.
pub fn fill(w: &Waterfall, classes: usize) -> Result<Fill, Kind> {
    let (k, start) = locate(w, w.proceeds)?;
    let mut f = pour(w, classes, k)?;
    let rest = w.proceeds.sub(start, "remaining proceeds")?;
    match w.tranches.get(k) {
        Some(t) if rest > Decimal::ZERO => take(w, t, rest, &mut f)?,
        Some(_) => {}
        None => f.unclaimed = rest.max(Decimal::ZERO),
    }
    Ok(f)
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
mod tests {
    use super::*;

    fn tranche(size: Option<i64>, weight: i64, residual: bool, level: Option<i64>) -> Tranche {
        Tranche {
            size: size.map(Decimal::from),
            claims: 0..0,
            weight: Decimal::from(weight),
            ends: Vec::new(),
            residual,
            level: level.map(Decimal::from),
        }
    }

    fn waterfall(tranches: Vec<Tranche>) -> Waterfall {
        Waterfall {
            proceeds: Decimal::ZERO,
            shares: Vec::new(),
            tranches,
            claims: Vec::new(),
            reasons: Vec::new(),
            owed: Vec::new(),
        }
    }

    /// A preference of $50, then a residual of weight 10 to a level of $10
    /// (its $100 end at $150), then one of weight 20 without end. The level
    /// is zero and flat before the residual; at a residual tranche's end the
    /// slope just right of it is the next tranche's. (cargo mutants: `<`
    /// read as `<=` at the end, and `y < start` as `y == start`, survived.)
    #[test]
    fn the_level_and_its_slope_just_right() {
        let w = waterfall(vec![
            tranche(Some(50), 1, false, None),
            tranche(Some(100), 10, true, Some(10)),
            tranche(None, 20, true, None),
        ]);
        let at = |y: i64| level_at(&w, Decimal::from(y)).unwrap();
        let d = |n: i64, s: u32| Decimal::new(n, s);
        assert_eq!(at(20), (Decimal::ZERO, Decimal::ZERO));
        assert_eq!(at(50), (Decimal::ZERO, d(1, 1)));
        assert_eq!(at(100), (Decimal::from(5), d(1, 1)));
        assert_eq!(at(150), (Decimal::from(10), d(5, 2)));
        assert_eq!(at(170), (Decimal::from(11), d(5, 2)));
    }

    /// Class 0's $0 tranche, class 1's $100, then class 2 without end; the
    /// amount distributed is `proceeds`.
    fn three(proceeds: i64) -> Waterfall {
        let mut w = waterfall(vec![
            tranche(Some(0), 1, false, None),
            tranche(Some(100), 1, false, None),
            tranche(None, 1, true, None),
        ]);
        w.claims = vec![
            (0, Decimal::ONE, 0),
            (1, Decimal::ONE, 0),
            (2, Decimal::ONE, 0),
        ];
        for (i, t) in w.tranches.iter_mut().enumerate() {
            t.claims = i..i + 1;
        }
        w.proceeds = Decimal::from(proceeds);
        w
    }

    /// A tranche's end belongs to the next tranche; an empty tranche before
    /// the proceeds' does not stop the count; proceeds that end exactly at a
    /// tranche's end give the next one nothing, not a line of $0. (cargo
    /// mutants: each of the three read another way survived.)
    #[test]
    fn tranche_ends_and_empty_tranches() {
        assert_eq!(
            locate(&three(100), Decimal::from(100)).unwrap(),
            (2, Decimal::from(100))
        );
        assert_eq!(
            locate(&three(100), Decimal::from(99)).unwrap(),
            (1, Decimal::ZERO)
        );
        assert_eq!(
            totals_of(&three(150), &[1, 2]).unwrap(),
            [Decimal::from(100), Decimal::from(50)]
        );
        let f = fill(&three(100), 3).unwrap();
        assert_eq!(f.total, [Decimal::ZERO, Decimal::from(100), Decimal::ZERO]);
        assert!(f.by_reason[2].is_empty(), "{:?}", f.by_reason);
    }

    /// The proceeds at which the level reaches a price: the residual's start
    /// for zero, its first tranche's end for $10 (read in either tranche, the
    /// same $150), $170 for $11; past a waterfall nobody takes the rest of,
    /// the end of its last tranche for any price.
    #[test]
    fn the_proceeds_at_a_level() {
        let w = waterfall(vec![
            tranche(Some(50), 1, false, None),
            tranche(Some(100), 10, true, Some(10)),
            tranche(None, 20, true, None),
        ]);
        let at = |l: i64| at_level(&w, Decimal::from(l)).unwrap();
        assert_eq!(at(0), Some(Decimal::from(50)));
        assert_eq!(at(10), Some(Decimal::from(150)));
        assert_eq!(at(11), Some(Decimal::from(170)));
        let untaken = waterfall(vec![tranche(Some(50), 1, false, None)]);
        assert_eq!(
            at_level(&untaken, Decimal::from(7)).unwrap(),
            Some(Decimal::from(50))
        );
        assert_eq!(
            level_at(&untaken, Decimal::from(60)).unwrap(),
            (Decimal::MAX, Decimal::ZERO)
        );
    }
}
