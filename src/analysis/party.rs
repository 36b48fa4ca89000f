//! Whose payout an analysis follows: a class, an option or warrant pool, or a
//! named holder, found by the name a statement gives.

use rust_decimal::Decimal;

use crate::diagnostic::{Kind, Problem, did_you_mean};
use crate::eval::curve::Curve;
use crate::ir::{Charter, ClassId};
use crate::num::Checked;
use crate::syntax::ast::Spanned;

/// A party to the payout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// A class, on its shares outstanding.
    Class(ClassId),
    /// An option or warrant pool, net of its exercise price.
    Pool(usize),
    /// A named holder, by its index among the charter's holders.
    Holder(usize),
}

impl Party {
    /// The party `name` stands for: a class by its short or display name, a
    /// named holder, or a pool by its name (`"2024 Plan"`), in that order.
    pub fn find(charter: &Charter, name: &Spanned<String>) -> Result<Party, Problem> {
        let n = name.node.as_str();
        if let Some(id) = charter
            .classes
            .iter()
            .position(|c| c.ident == n || c.name == n)
        {
            return Ok(Party::Class(id));
        }
        if let Some(i) = charter.holders.iter().position(|h| h.name == n) {
            return Ok(Party::Holder(i));
        }
        if let Some(i) = charter
            .pools
            .iter()
            .position(|p| p.name == n || p.name.starts_with(&format!("{n} (")))
        {
            return Ok(Party::Pool(i));
        }
        let spellings = charter
            .classes
            .iter()
            .flat_map(|c| [c.ident.as_str(), c.name.as_str()])
            .chain(charter.holders.iter().map(|h| h.name.as_str()));
        let mut help =
            "name a class (`B`, `Series B`), a named holder in quotes, or a pool".to_string();
        if let Some(s) = did_you_mean(n, spellings) {
            help = format!("{s} {help}");
        }
        Err(Problem::new(
            Kind::UnknownClass(n.to_string()),
            name.span,
            "not a class, named holder or pool of this charter",
        )
        .with_help(help))
    }

    /// Its name in answers.
    pub fn name(self, charter: &Charter) -> String {
        match self {
            Party::Class(id) => charter.classes.get(id).map(|c| c.name.clone()),
            Party::Pool(i) => charter.pools.get(i).map(|p| p.name.clone()),
            Party::Holder(i) => charter.holders.get(i).map(|h| h.name.clone()),
        }
        .unwrap_or_default()
    }

    /// The shares it holds: a class's outstanding, a pool's count, a
    /// holder's own.
    pub fn shares(self, charter: &Charter) -> Decimal {
        match self {
            Party::Class(id) => charter.classes.get(id).map(|c| c.outstanding),
            Party::Pool(i) => charter.pools.get(i).map(|p| p.count),
            Party::Holder(i) => charter.holders.get(i).map(|h| h.shares),
        }
        .unwrap_or_default()
    }

    /// What it paid for its shares: the original issue price times its
    /// shares. A pool has paid nothing yet; a class without an issue price
    /// has no stated investment.
    pub fn investment(self, charter: &Charter) -> Result<Decimal, Kind> {
        let class = match self {
            Party::Class(id) => id,
            Party::Holder(i) => charter.holders.get(i).map_or(0, |h| h.class),
            Party::Pool(_) => {
                return Err(Kind::MissingFact(format!(
                    "{} has no investment: its holders pay only the exercise price; ask for an amount or an amount per share",
                    self.name(charter)
                )));
            }
        };
        let Some(c) = charter.classes.get(class) else {
            return Err(Kind::Overflow("investment".to_string()));
        };
        let Some(price) = c.issue_price else {
            return Err(Kind::MissingFact(format!(
                "the charter file states no original issue price for {}, so its investment is not known: add `original issue price $X` to `stock {}`",
                c.name, c.ident
            )));
        };
        self.shares(charter).mul(price, "investment")
    }

    /// Its exact amount at exit `x` under regime `ri` of the curve: a class's
    /// or pool's own, a holder's share of its class's by shares.
    pub fn exact(
        self,
        charter: &Charter,
        c: &Curve,
        ri: usize,
        x: Decimal,
    ) -> Result<Decimal, Kind> {
        let amounts = crate::eval::breakpoints::exact_at(c, ri, x)?;
        let n = charter.classes.len();
        Ok(match self {
            Party::Class(id) => amounts.get(id).copied().unwrap_or_default(),
            Party::Pool(i) => amounts
                .get(n.saturating_add(i))
                .copied()
                .unwrap_or_default(),
            Party::Holder(i) => {
                let Some(h) = charter.holders.get(i) else {
                    return Ok(Decimal::ZERO);
                };
                let out = charter
                    .classes
                    .get(h.class)
                    .map(|c| c.outstanding)
                    .unwrap_or_default();
                if out.is_zero() {
                    Decimal::ZERO
                } else {
                    let class = amounts.get(h.class).copied().unwrap_or_default();
                    crate::num::scale(class, h.shares, out, "holder payout")?
                }
            }
        })
    }

    /// Its amount to the cent at whole-cent exit `x`, as `payout` reports it.
    pub fn cents(self, charter: &Charter, c: &Curve, x: Decimal) -> Result<Decimal, Kind> {
        let cents = crate::eval::breakpoints::payout_at(charter, c, x)?;
        Ok(match self {
            Party::Class(id) => cents.classes.get(id).copied(),
            Party::Pool(i) => cents.pools.get(i).copied(),
            Party::Holder(i) => {
                let name = charter.holders.get(i).map(|h| h.name.as_str());
                cents
                    .holders
                    .iter()
                    .find(|h| h.named && Some(h.name.as_str()) == name)
                    .map(|h| h.payout)
            }
        }
        .unwrap_or_default())
    }
}
