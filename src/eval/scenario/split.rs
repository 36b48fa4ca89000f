//! Splits and combinations: every share count, price, pool and excluded cap
//! scaled by the ratio, kept as a fraction of whole numbers.

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
            if class.common
                || class.ratio.is_none()
                || class.outstanding.is_zero()
                    && self.converted.get(id).is_some_and(|c| c.is_some())
            {
                continue;
            }
            let block = self
                .charter
                .antidilution
                .iter()
                .find(|b| b.classes.contains(&id) && b.splits.is_some())
                .cloned();
            let Some(block) = block else {
                return Err(Problem::new(
                    Kind::Impossible(format!("the charter file states no adjustment of `{}` for splits and combinations", class.name)),
                    new.span,
                    "this split",
                )
                .with_help("add `splits and combinations adjust proportionally` to the class's anti-dilution block, citing the charter"));
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
                    if let Some(r) = rounded {
                        steps.push(r);
                    }
                    if let Some(slot) = self.carried.get_mut(id) {
                        slot.0 = slot
                            .0
                            .mul(old.node, "carried adjustment")
                            .and_then(|x| x.div(new.node, "carried adjustment"))
                            .map_err(|k| at(k, new.span))?;
                    }
                    self.log.push(Adjustment {
                        class: id,
                        event: text.to_string(),
                        date,
                        before,
                        after,
                        // `stock dividend 10%` is read as a split of 110:100
                        // but named as the reader wrote it.
                        kind: if combine {
                            "combination"
                        } else if text.split_whitespace().next() == Some("stock") {
                            "stock dividend"
                        } else {
                            "split"
                        }
                        .to_string(),
                        steps,
                        cite,
                    });
                }
                None => {
                    if let Some(c) = Arc::make_mut(&mut self.charter).classes.get_mut(id) {
                        c.ratio = c
                            .ratio
                            .map(|r| num::scale(r, new.node, old.node, "conversion ratio"))
                            .transpose()
                            .map_err(|k| at(k, new.span))?;
                    }
                }
            }
        }
        // The amendment that effects a split ordinarily scales the
        // authorized common with the outstanding; so it is taken here (the
        // README says so), rather than leaving later issues unchecked.
        for class in Arc::make_mut(&mut self.charter)
            .classes
            .iter_mut()
            .filter(|c| c.common)
        {
            let scale = |x: Decimal| {
                x.mul(new.node, "shares after the split")
                    .and_then(|x| x.div(old.node, "shares after the split"))
                    .map_err(|k| at(k, new.span))
            };
            class.outstanding = scale(class.outstanding)?;
            class.authorized = class.authorized.map(scale).transpose()?;
        }
        let commons: Vec<ClassId> = (0..self.charter.classes.len())
            .filter(|&i| self.charter.classes.get(i).is_some_and(|c| c.common))
            .collect();
        for h in Arc::make_mut(&mut self.charter)
            .holders
            .iter_mut()
            .filter(|h| commons.contains(&h.class))
        {
            h.shares = h
                .shares
                .mul(new.node, "shares after the split")
                .and_then(|x| x.div(old.node, "shares after the split"))
                .map_err(|k| at(k, new.span))?;
        }
        for p in Arc::make_mut(&mut self.charter)
            .pools
            .iter_mut()
            .filter(|p| commons.contains(&p.class))
        {
            p.count = p
                .count
                .mul(new.node, "options after the split")
                .and_then(|x| x.div(old.node, "options after the split"))
                .map_err(|k| at(k, new.span))?;
            p.vested = p
                .vested
                .mul(new.node, "options after the split")
                .and_then(|x| x.div(old.node, "options after the split"))
                .map_err(|k| at(k, new.span))?;
            p.strike = p
                .strike
                .mul(old.node, "exercise price after the split")
                .and_then(|x| x.div(new.node, "exercise price after the split"))
                .map_err(|k| at(k, new.span))?;
        }
        let fail = |k: Kind| at(k, new.span);
        self.split = (
            self.split.0.mul(new.node, "splits").map_err(fail)?,
            self.split.1.mul(old.node, "splits").map_err(fail)?,
        );
        self.events.push(text.to_string());
        Ok(())
    }
}
