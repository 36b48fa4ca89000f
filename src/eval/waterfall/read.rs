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

/// The proceeds past which the residual's level exceeds `level` (where the
/// level stays at `level` along a stretch, as through a preference paid
/// between two residual tranches, the stretch's end: a decider indifferent
/// along it keeps what it has), or `None` where it never does (an open
/// tranche that is not the residual's). Where nobody takes the dollars past
/// the last tranche the level is unbounded there, and passes any price at
/// its start. O(T); [`Levels`] answers many.
pub fn at_level(w: &Waterfall, level: Decimal) -> Result<Option<Decimal>, Kind> {
    Levels::new(w)?.at(level)
}

/// A waterfall's residual tranches indexed by level, so that the proceeds at
/// which the level reaches each of U prices cost O(T + U log T) rather than
/// O(U·T): a chain of 10,000 series has 10,000 tranches and as many
/// deciders, each asked where it would convert.
#[derive(Debug, Clone)]
pub struct Levels {
    /// Per residual tranche, in order: the proceeds at its start, the level
    /// there, the level at its end (`None`: without end) and its weight.
    residual: Vec<(Decimal, Decimal, Option<Decimal>, Decimal)>,
    /// Whether the tranches end in an open one (else nobody takes the
    /// dollars past `end`).
    open: bool,
    /// The proceeds at the end of the last tranche.
    end: Decimal,
    /// Whether the levels at the residual tranches' ends rise, none missing
    /// before the last, so that the tranche holding a level is found by
    /// halving; else it is looked for in order.
    sorted: bool,
}

impl Levels {
    /// The index of `w`'s residual tranches. O(T).
    pub fn new(w: &Waterfall) -> Result<Levels, Kind> {
        let mut start = Decimal::ZERO;
        let mut prev = Decimal::ZERO;
        let mut residual = Vec::new();
        for t in &w.tranches {
            if t.residual {
                residual.push((start, prev, t.level, t.weight));
                prev = t.level.unwrap_or(prev);
            }
            match t.size {
                // The same additions as the tranches' ends everywhere.
                Some(s) => start = start.add(s, "tranche end")?,
                None => {
                    return Ok(Levels::of(residual, true, start));
                }
            }
        }
        Ok(Levels::of(residual, false, start))
    }

    fn of(
        residual: Vec<(Decimal, Decimal, Option<Decimal>, Decimal)>,
        open: bool,
        end: Decimal,
    ) -> Levels {
        let sorted = residual.windows(2).all(|w| match w {
            [(_, _, Some(a), _), (_, _, b, _)] => b.is_none_or(|b| *a <= b),
            _ => false,
        });
        Levels {
            residual,
            open,
            end,
            sorted,
        }
    }

    /// [`at_level`] of the indexed waterfall. O(log T).
    pub fn at(&self, level: Decimal) -> Result<Option<Decimal>, Kind> {
        // The first residual tranche whose end is past `level`.
        let past = |e: &(Decimal, Decimal, Option<Decimal>, Decimal)| e.2.is_none_or(|l| level < l);
        let found = if self.sorted {
            self.residual
                .get(self.residual.partition_point(|e| !past(e)))
        } else {
            self.residual.iter().find(|e| past(e))
        };
        match found {
            Some((start, prev, _, weight)) => {
                // The same arithmetic as the tranche's size: level steps × weight.
                let into = level
                    .max(*prev)
                    .sub(*prev, "level")?
                    .mul(*weight, "tranche")?;
                Ok(Some(start.add(into, "proceeds")?))
            }
            // An open tranche that is not the residual's: never. Every
            // tranche has an end and nobody takes the dollars past them: the
            // level passes every price at the first of those dollars.
            None => Ok((!self.open).then_some(self.end)),
        }
    }
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

    /// The proceeds at which the level reaches a price, worked by hand on a
    /// preference of $50, a residual of weight 10 to $10 ($100, ending at
    /// $150), a preference of $30, a residual of weight 20 to $12 ($40, to
    /// $220) and one of weight 40 without end: found by halving the index and
    /// by looking in order (as for levels that do not rise), the same.
    #[test]
    fn the_proceeds_at_a_level_by_halving_and_in_order() {
        let w = waterfall(vec![
            tranche(Some(50), 1, false, None),
            tranche(Some(100), 10, true, Some(10)),
            tranche(Some(30), 1, false, None),
            tranche(Some(40), 20, true, Some(12)),
            tranche(None, 40, true, None),
        ]);
        let halving = Levels::new(&w).unwrap();
        assert!(halving.sorted);
        let in_order = Levels {
            sorted: false,
            ..halving.clone()
        };
        // $0 → $50 (the residual begins); $5 → $50 + 5 × 10; $10 → $180:
        // the level is $10 from $150 through the $30 preference, and passes
        // it only after (an indifferent decider keeps what it has); $11 →
        // $180 + 1 × 20; $12 → $220; $13 → $220 + 1 × 40.
        for (level, want) in [
            (0, 50),
            (5, 100),
            (10, 180),
            (11, 200),
            (12, 220),
            (13, 260),
        ] {
            let want = Some(Decimal::from(want));
            assert_eq!(halving.at(Decimal::from(level)).unwrap(), want, "${level}");
            assert_eq!(in_order.at(Decimal::from(level)).unwrap(), want, "${level}");
        }
        // An open preference before any residual: never.
        let open = waterfall(vec![tranche(None, 1, false, None)]);
        assert_eq!(at_level(&open, Decimal::ONE).unwrap(), None);
        // Every tranche ends and nobody takes what is past them: at once.
        let closed = waterfall(vec![tranche(Some(30), 1, false, None)]);
        assert_eq!(
            at_level(&closed, Decimal::ONE).unwrap(),
            Some(Decimal::from(30))
        );
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
