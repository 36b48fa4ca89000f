//! Splits and combinations: every share count, price and pool
//! scaled by the ratio, kept as a fraction of whole numbers (the caps of
//! anti-dilution exclusions are read in today's shares where they are used).

use super::*;

impl Scenario {
    /// `split N:M` (or `combine`): every M shares of common become N.
    pub fn split(
        &mut self,
        new: &Spanned<Decimal>,
        old: &Spanned<Decimal>,
        combine: bool,
        date: Option<&Spanned<NaiveDate>>,
        text: &str,
    ) -> Result<(), Problem> {
        if new.node.is_zero() || old.node.is_zero() {
            return Err(Problem::new(
                Kind::BadNumber("a split needs two numbers above zero".to_string()),
                new.span,
                "this ratio",
            ));
        }
        let factor = new
            .node
            .div(old.node, "split ratio")
            .map_err(|k| at(k, new.span))?;
        if combine && factor >= Decimal::ONE || !combine && factor <= Decimal::ONE {
            let (word, other) = if combine {
                ("combination", "split")
            } else {
                ("split", "combine")
            };
            return Err(Problem::new(
                Kind::Impossible(format!("a {word} of {}:{} does not {} the number of shares", new.node, old.node, if combine { "reduce" } else { "increase" })),
                new.span,
                "new shares : old shares",
            )
            .with_help(format!("`split 2:1` doubles the shares and `combine 1:2` halves them; did you mean `{other}`?")));
        }
        let date = self.advance(date, text)?;
        // Every class with a conversion ratio must have a clause saying how a split adjusts it.
        for (id, class) in self.charter.classes.clone().iter().enumerate() {
            if !self.converts_still(id, class) {
                continue;
            }
            let block = self
                .charter
                .antidilution
                .iter()
                .find(|b| b.classes.contains(&id) && b.splits.is_some())
                .cloned();
            let Some(block) = block else {
                return Err(no_split_clause(&class.name, new.span));
            };
            let cite = block.splits.clone().unwrap_or_else(|| block.cite.clone());
            match self.prices.get(id).copied().flatten() {
                Some(before) => {
                    let exact = num::scale(before, old.node, new.node, "split")
                        .map_err(|k| at(k, new.span))?;
                    let (after, rounded) = round(
                        exact,
                        block
                            .rounding
                            .as_ref()
                            .filter(|r| !r.weighted_only)
                            .map(|r| r.unit),
                    );
                    self.set_price(id, after)?;
                    let mut steps = vec![format!(
                        "{} × {}/{} = {}",
                        price_text(before),
                        old.node,
                        new.node,
                        price_text(exact)
                    )];
                    steps.extend(rounded);
                    self.scale_carried(id, new.node, old.node)
                        .map_err(|k| at(k, new.span))?;
                    self.log.push(Adjustment {
                        class: id,
                        event: text.to_string(),
                        date,
                        before,
                        after,
                        kind: split_kind(combine, text).to_string(),
                        steps,
                        cite,
                    });
                }
                None => self
                    .scale_ratio(id, new.node, old.node)
                    .map_err(|k| at(k, new.span))?,
            }
        }
        self.scale_common(new.node, old.node)
            .map_err(|k| at(k, new.span))?;
        let fail = |k: Kind| at(k, new.span);
        self.split = (
            self.split.0.mul(new.node, "splits").map_err(fail)?,
            self.split.1.mul(old.node, "splits").map_err(fail)?,
        );
        self.events.push(text.to_string());
        Ok(())
    }

    /// Whether a split moves class `id`'s conversion terms: preferred with a
    /// ratio, and not wholly converted already.
    fn converts_still(&self, id: ClassId, class: &crate::ir::Class) -> bool {
        !(class.common
            || class.ratio.is_none()
            || class.outstanding.is_zero() && self.converted.get(id).is_some_and(|c| c.is_some()))
    }

    /// A carried (not yet made) adjustment of class `id`'s price, scaled as
    /// the price is by a split of `new` for `old`.
    fn scale_carried(&mut self, id: ClassId, new: Decimal, old: Decimal) -> Result<(), Kind> {
        if let Some(slot) = self.carried.get_mut(id) {
            slot.0 = slot
                .0
                .mul(old, "carried adjustment")
                .and_then(|x| x.div(new, "carried adjustment"))?;
        }
        Ok(())
    }

    /// Class `id`'s conversion ratio (where it has no price) scaled by a
    /// split of `new` for `old`.
    fn scale_ratio(&mut self, id: ClassId, new: Decimal, old: Decimal) -> Result<(), Kind> {
        if let Some(c) = Arc::make_mut(&mut self.charter).classes.get_mut(id) {
            c.ratio = c
                .ratio
                .map(|r| num::scale(r, new, old, "conversion ratio"))
                .transpose()?;
        }
        Ok(())
    }

    /// Common's counts scaled by a split of `new` for `old`: its outstanding
    /// and authorized shares (the amendment that effects a split ordinarily
    /// scales the authorized common too, so it is taken here, as the README
    /// says, rather than leaving later issues unchecked), its named holders,
    /// and its option pools (counts up, exercise prices down).
    fn scale_common(&mut self, new: Decimal, old: Decimal) -> Result<(), Kind> {
        let up = |x: Decimal, what: &str| x.mul(new, what).and_then(|x| x.div(old, what));
        let charter = Arc::make_mut(&mut self.charter);
        let commons: Vec<ClassId> = (0..charter.classes.len())
            .filter(|&i| charter.classes.get(i).is_some_and(|c| c.common))
            .collect();
        for class in charter.classes.iter_mut().filter(|c| c.common) {
            class.outstanding = up(class.outstanding, "shares after the split")?;
            class.authorized = class
                .authorized
                .map(|a| up(a, "shares after the split"))
                .transpose()?;
        }
        for h in charter
            .holders
            .iter_mut()
            .filter(|h| commons.contains(&h.class))
        {
            h.shares = up(h.shares, "shares after the split")?;
        }
        for p in charter
            .pools
            .iter_mut()
            .filter(|p| commons.contains(&p.class))
        {
            p.count = up(p.count, "options after the split")?;
            p.vested = up(p.vested, "options after the split")?;
            p.strike = p
                .strike
                .mul(old, "exercise price after the split")
                .and_then(|x| x.div(new, "exercise price after the split"))?;
        }
        // A participation test "adjusted for splits" counts the distribution
        // per share in shares as they stood at filing.
        let events = charter.events.iter_mut().map(|e| &mut e.terms);
        for terms in std::iter::once(&mut charter.liquidation).chain(events) {
            for p in terms.participation.iter_mut().flatten() {
                if let Some(f) = p.split_factor.as_mut() {
                    *f = up(*f, "split factor")?;
                }
            }
        }
        Ok(())
    }
}

/// A class that converts, with no clause saying how a split adjusts it.
fn no_split_clause(name: &str, span: Span) -> Problem {
    Problem::new(
        Kind::Impossible(format!(
            "the charter file states no adjustment of `{name}` for splits and combinations"
        )),
        span,
        "this split",
    )
    .with_help("add `splits and combinations adjust proportionally` to the class's anti-dilution block, citing the charter")
}

/// What an adjustment for a split is called: `stock dividend 10%` is read
/// as a split of 110:100 but named as the reader wrote it.
fn split_kind(combine: bool, text: &str) -> &'static str {
    if combine {
        "combination"
    } else if text.split_whitespace().next() == Some("stock") {
        "stock dividend"
    } else {
        "split"
    }
}
