//! Whose payout an analysis follows: a class, an option or warrant pool, a
//! named holder, or a group of them, found by the name a statement gives.

use rust_decimal::Decimal;

use crate::diagnostic::{Kind, Problem, did_you_mean};
use crate::eval::curve::Curve;
use crate::ir::{Charter, ClassId, Member, PartyGroup, enclosing, members_named};
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
    /// A group of parties (`group "Founders": ...`), by its index among the
    /// charter's groups: the sum of its members.
    Group(usize),
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
        if let Some(i) = charter.groups.iter().position(|g| g.name == n) {
            return Ok(Party::Group(i));
        }
        let spellings = charter
            .classes
            .iter()
            .flat_map(|c| [c.ident.as_str(), c.name.as_str()])
            .chain(charter.holders.iter().map(|h| h.name.as_str()))
            .chain(charter.groups.iter().map(|g| g.name.as_str()));
        let mut help =
            "name a class (`B`, `Series B`), a named holder in quotes, a pool, or a group"
                .to_string();
        if let Some(s) = did_you_mean(n, spellings) {
            help = format!("{s} {help}");
        }
        Err(Problem::new(
            Kind::UnknownClass(n.to_string()),
            name.span,
            "not a class, named holder, pool or group of this charter",
        )
        .with_help(help))
    }

    /// Its name in answers.
    pub fn name(self, charter: &Charter) -> String {
        match self {
            Party::Class(id) => charter.classes.get(id).map(|c| c.name.clone()),
            Party::Pool(i) => charter.pools.get(i).map(|p| p.name.clone()),
            Party::Holder(i) => charter.holders.get(i).map(|h| h.name.clone()),
            Party::Group(i) => charter.groups.get(i).map(|g| g.name.clone()),
        }
        .unwrap_or_default()
    }

    /// The parties a group adds up (none for a party that is not one).
    pub fn members(self, charter: &Charter) -> Vec<Party> {
        let Party::Group(i) = self else {
            return Vec::new();
        };
        charter.groups.get(i).map_or_else(Vec::new, |g| {
            g.members
                .iter()
                .map(|m| match m {
                    Member::Class(id) => Party::Class(*id),
                    Member::Pool(i) => Party::Pool(*i),
                    Member::Holder(i) => Party::Holder(*i),
                })
                .collect()
        })
    }

    /// The sum of `f` over a group's members.
    fn sum(
        self,
        charter: &Charter,
        f: impl Fn(Party) -> Result<Decimal, Kind>,
    ) -> Result<Decimal, Kind> {
        self.members(charter)
            .into_iter()
            .try_fold(Decimal::ZERO, |total, m| {
                total.add(f(m)?, "a group's total")
            })
    }

    /// An unnamed group of the parties `names` stands for (`"Ada" and
    /// "Ben" receive $20M`), named by them; a name that stands for nothing,
    /// or a party counted twice (a holder and its class), is refused.
    pub fn together(charter: &Charter, names: &[Spanned<String>]) -> Result<PartyGroup, Problem> {
        let mut members: Vec<Member> = Vec::new();
        // The members taken, and the classes of the holdings taken.
        let mut taken: std::collections::HashSet<Member> = std::collections::HashSet::new();
        let mut held_in: std::collections::HashSet<Member> = std::collections::HashSet::new();
        for n in names {
            // A declared group stands for its members; any other name for
            // what a group's member would (every holding of a holder's
            // name); `find` reports a name that stands for nothing.
            let more: Vec<Member> = match Party::find(charter, n)? {
                Party::Group(i) => charter
                    .groups
                    .get(i)
                    .map(|g| g.members.clone())
                    .unwrap_or_default(),
                Party::Holder(_) => {
                    members_named(&n.node, &charter.classes, &charter.holders, &charter.pools)
                }
                Party::Class(id) => vec![Member::Class(id)],
                Party::Pool(i) => vec![Member::Pool(i)],
            };
            for m in more {
                // A holding is inside its class: a class and its holder, in
                // either order, count its shares twice. O(1) each.
                let inside = enclosing(m, &charter.holders);
                let twice = taken.contains(&m)
                    || held_in.contains(&m)
                    || inside.is_some_and(|c| taken.contains(&c));
                if twice {
                    return Err(Problem::new(
                        Kind::BadGroup(format!("`{}` would be counted twice", n.node)),
                        n.span,
                        "already among the parties named",
                    )
                    .with_help(
                        "name each party once, and a class's holders or the class, not both",
                    ));
                }
                taken.insert(m);
                held_in.extend(inside);
                members.push(m);
            }
        }
        let name = names
            .iter()
            .map(|n| n.node.as_str())
            .collect::<Vec<_>>()
            .join(" and ");
        // Named in a statement, not declared: cited as the names written.
        let cite = crate::ir::Cite {
            section: None,
            span: names.first().map(|n| n.span).unwrap_or_default(),
            clause: std::sync::Arc::from(name.as_str()),
        };
        Ok(PartyGroup {
            name,
            members,
            cite,
        })
    }

    /// The shares it holds: a class's outstanding, a pool's count, a
    /// holder's own.
    pub fn shares(self, charter: &Charter) -> Decimal {
        match self {
            Party::Class(id) => charter.classes.get(id).map(|c| c.outstanding),
            Party::Pool(i) => charter.pools.get(i).map(|p| p.count),
            Party::Holder(i) => charter.holders.get(i).map(|h| h.shares),
            Party::Group(_) => self.sum(charter, |m| Ok(m.shares(charter))).ok(),
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
            Party::Group(_) => return self.sum(charter, |m| m.investment(charter)),
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
            Party::Group(_) => self.sum(charter, |m| m.exact(charter, c, ri, x))?,
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
        self.of_cents(charter, &cents)
    }

    /// Its amount in a payout rounded to the cent: a group's, the sum of its
    /// members' (so that it is the sum of the figures shown for them).
    pub fn of_cents(self, charter: &Charter, cents: &crate::eval::Cents) -> Result<Decimal, Kind> {
        Ok(match self {
            Party::Class(id) => cents.classes.get(id).copied(),
            Party::Pool(i) => cents.pools.get(i).copied(),
            Party::Holder(i) => charter.holders.get(i).and_then(|h| {
                let class = charter.classes.get(h.class).map(|c| c.name.as_str());
                cents
                    .holders
                    .iter()
                    .find(|p| p.named && p.name == h.name && Some(p.class.as_str()) == class)
                    .map(|p| p.payout)
            }),
            Party::Group(i) => cents.groups.get(i).copied(),
        }
        .unwrap_or_default())
    }
}
