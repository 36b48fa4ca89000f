//! A scenario: the charter as events have left it.
//!
//! Events apply in order: issuances and option grants (which may adjust
//! conversion prices under anti-dilution), splits and combinations, and an
//! initial public offering (which may convert preferred stock automatically).
//! The scenario keeps the current conversion price of every class, the
//! capitalization, and a log of every adjustment with its arithmetic, so that
//! `conversion prices` and `explain conversion price` can show how each price
//! came to be. Every other query runs on [`Scenario::charter`], the charter as
//! it now stands.

mod split;

use std::sync::Arc;

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use crate::diagnostic::{Kind, Problem};
use crate::ir::{Basis, Charter, Cite, ClassId, Duration, Holder, Pool, RoundingUnit};
use crate::num::{self, Checked};
use crate::syntax::ast::{Span, Spanned};

/// One change to a conversion price, with its arithmetic.
#[derive(Debug, Clone)]
pub struct Adjustment {
    /// The class.
    pub class: ClassId,
    /// The statement that caused it.
    pub event: String,
    /// The date it took effect.
    pub date: NaiveDate,
    /// The price before.
    pub before: Decimal,
    /// The price after.
    pub after: Decimal,
    /// What kind of adjustment, in words.
    pub kind: String,
    /// The computation, step by step, with the numbers substituted.
    pub steps: Vec<String>,
    /// The clause applied.
    pub cite: Cite,
}

/// The charter as events have left it.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The charter as it now stands: capitalization and conversion ratios.
    /// Shared until an event changes it, so that a session costs no copy of
    /// the charter until then.
    pub charter: Arc<Charter>,
    /// The charter as written.
    pub original: Arc<Charter>,
    /// The date the scenario stands at.
    pub date: NaiveDate,
    /// Splits and combinations so far: new shares for old, as a ratio of
    /// whole numbers kept exactly.
    pub split: (Decimal, Decimal),
    /// Current conversion price per class, where the class has one.
    pub prices: Vec<Option<Decimal>>,
    /// Adjustments not yet made because under the minimum, per class, and
    /// since when they have been carried.
    pub carried: Vec<(Decimal, Option<NaiveDate>)>,
    /// Shares used of each excluded category's cap, per anti-dilution block.
    pub used: Vec<Vec<Decimal>>,
    /// Every adjustment so far.
    pub log: Vec<Adjustment>,
    /// The statements applied, in order.
    pub events: Vec<String>,
    /// Classes converted, and by what.
    pub converted: Vec<Option<String>>,
    /// The dates of the public offerings made (`ipo`), qualified or not.
    pub offerings: Vec<NaiveDate>,
    /// Cumulative dividends paid or declared so far, per share.
    pub dividends_paid: Vec<Decimal>,
    /// The start of the dividend year of the last declaration: the calendar
    /// year's first day, or the first declaration's date where the year runs
    /// from it. A rate "per annum" is one year's amount however many
    /// declarations share it.
    pub dividend_year: Option<NaiveDate>,
    /// Per class, the preferential rate paid per share in that year.
    pub rate_paid: Vec<Decimal>,
    /// Per class, every dividend paid per share in that year: what "the
    /// greater of" its rate and common's compares, "on a per annum basis".
    pub year_paid: Vec<Decimal>,
    /// Redemptions owed and not yet paid.
    pub obligations: Vec<super::obligations::Obligation>,
    /// Issue prices moved with conversion prices (`original issue price
    /// adjusted likewise`): class, the date from which, the new price.
    pub moved_issue_prices: Vec<(ClassId, NaiveDate, Decimal)>,
    /// Shares outstanding at each class's first redemption tranche.
    pub redemption_base: Vec<Option<Decimal>>,
    /// Each named holder's shares at its class's first redemption tranche.
    pub redemption_base_holders: Vec<Option<Decimal>>,
    /// Per class, the shares eligible at the last redemption tranche, and
    /// those of them not redeemed: what the next tranche may carry over.
    pub redemption_carry: Vec<(Decimal, Decimal)>,
    /// Tranches already applied: schedule, tranche, class.
    pub tranches_done: Vec<(usize, usize, ClassId)>,
}

/// The date queries start from when none is given: the filing date, so that
/// an answer never depends on the day it is asked.
pub fn start_date(charter: &Charter) -> NaiveDate {
    charter.filed.unwrap_or_default()
}

/// `date + duration`, or `None` past the calendar's end.
pub fn add(date: NaiveDate, d: Duration) -> Option<NaiveDate> {
    match d {
        Duration::Days(n) => date.checked_add_days(chrono::Days::new(u64::from(n))),
        Duration::Months(n) => date.checked_add_months(Months::new(n)),
        Duration::Years(n) => date.checked_add_months(Months::new(n.checked_mul(12)?)),
    }
}

/// `1 year`, `180 days`.
pub fn words(d: Duration) -> String {
    let (n, unit) = match d {
        Duration::Days(n) => (n, "day"),
        Duration::Months(n) => (n, "month"),
        Duration::Years(n) => (n, "year"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

impl Scenario {
    /// A scenario with no events, at the charter's filing date.
    pub fn new(charter: &Charter) -> Self {
        Self::shared(Arc::new(charter.clone()))
    }

    /// A scenario with no events on a charter already shared: no copy is
    /// made until an event changes it.
    pub fn shared(shared: Arc<Charter>) -> Self {
        let charter = &*shared;
        let prices = charter
            .classes
            .iter()
            .map(|c| if c.common { None } else { c.conversion_price })
            .collect();
        Scenario {
            date: start_date(charter),
            split: (Decimal::ONE, Decimal::ONE),
            prices,
            carried: vec![(Decimal::ZERO, None); charter.classes.len()],
            used: charter
                .antidilution
                .iter()
                .map(|b| vec![Decimal::ZERO; b.excluded.len()])
                .collect(),
            log: Vec::new(),
            events: Vec::new(),
            converted: vec![None; charter.classes.len()],
            offerings: Vec::new(),
            dividends_paid: vec![Decimal::ZERO; charter.classes.len()],
            dividend_year: None,
            rate_paid: vec![Decimal::ZERO; charter.classes.len()],
            year_paid: vec![Decimal::ZERO; charter.classes.len()],
            obligations: Vec::new(),
            moved_issue_prices: Vec::new(),
            redemption_base: vec![None; charter.classes.len()],
            redemption_base_holders: vec![None; charter.holders.len()],
            redemption_carry: vec![(Decimal::ZERO, Decimal::ZERO); charter.classes.len()],
            tranches_done: Vec::new(),
            original: Arc::clone(&shared),
            charter: shared,
        }
    }

    /// The first common class: where issued common shares go.
    pub fn common(&self) -> Option<ClassId> {
        self.charter.classes.iter().position(|c| c.common)
    }

    /// The class's display name.
    pub fn name(&self, id: ClassId) -> String {
        self.charter
            .classes
            .get(id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    }

    /// Moves the scenario to the date of an event, making any carried
    /// adjustment whose time has come. Events may not go back in time.
    pub fn advance(
        &mut self,
        date: Option<&Spanned<NaiveDate>>,
        event: &str,
    ) -> Result<NaiveDate, Problem> {
        let Some(d) = date else {
            self.make_carried(self.date, event)?;
            return Ok(self.date);
        };
        if d.node < self.date {
            return Err(Problem::new(
                Kind::Impossible(format!(
                    "this event is dated {} but the scenario already stands at {}",
                    d.node, self.date
                )),
                d.span,
                "earlier than the events before it",
            )
            .with_help("give events in the order they happen"));
        }
        self.make_carried(d.node, event)?;
        self.date = d.node;
        Ok(d.node)
    }

    /// Makes carried adjustments that have reached the end of their carry period.
    fn make_carried(&mut self, upto: NaiveDate, event: &str) -> Result<(), Problem> {
        for block in self.charter.antidilution.clone() {
            let Some((_, Some(period), cite)) = &block.minimum else {
                continue;
            };
            for &c in &block.classes {
                let Some((amount, Some(since))) = self.carried.get(c).copied() else {
                    continue;
                };
                let Some(due) = add(since, *period) else {
                    continue;
                };
                if due > upto || amount.is_zero() {
                    continue;
                }
                let before = self.price(c);
                let after = before
                    .sub(amount, "carried adjustment")
                    .map_err(|k| at(k, Span::default()))?;
                self.set_price(c, after)?;
                if let Some(slot) = self.carried.get_mut(c) {
                    *slot = (Decimal::ZERO, None);
                }
                self.log.push(Adjustment {
                    class: c,
                    event: event.to_string(),
                    date: due,
                    before,
                    after,
                    kind: "carried adjustment made".to_string(),
                    steps: vec![format!(
                        "{} carried since {since} is made at the end of {}: {} − {} = {}",
                        price_text(amount),
                        words(*period),
                        price_text(before),
                        price_text(amount),
                        price_text(after)
                    )],
                    cite: cite.clone(),
                });
            }
        }
        Ok(())
    }

    /// A class's shares outstanding now.
    pub fn outstanding(&self, id: ClassId) -> Decimal {
        self.charter
            .classes
            .get(id)
            .map(|c| c.outstanding)
            .unwrap_or_default()
    }

    /// The current conversion price (zero where the class has none).
    pub fn price(&self, id: ClassId) -> Decimal {
        self.prices.get(id).copied().flatten().unwrap_or_default()
    }

    /// Sets a conversion price and the ratio that follows from it.
    pub fn set_price(&mut self, id: ClassId, price: Decimal) -> Result<(), Problem> {
        if let Some(slot) = self.prices.get_mut(id) {
            *slot = Some(price);
        }
        let class = Arc::make_mut(&mut self.charter).classes.get_mut(id);
        if let Some(class) = class
            && let Some(ip) = class.issue_price
        {
            class.ratio = Some(
                ip.div(price, "conversion ratio")
                    .map_err(|k| at(k, Span::default()))?,
            );
        }
        Ok(())
    }

    /// The count of shares the weighted average treats as outstanding.
    pub fn basis_count(&self, basis: &[Basis]) -> Result<Decimal, Kind> {
        let mut n = Decimal::ZERO;
        let c = &self.charter;
        for b in basis {
            let part = match b {
                Basis::Common => num::sum(
                    c.classes.iter().filter(|x| x.common).map(|x| x.outstanding),
                    "common outstanding",
                )?,
                Basis::Preferred => {
                    let mut s = Decimal::ZERO;
                    // A SAFE is no preferred stock.
                    for x in c.classes.iter().filter(|x| !x.common && x.safe.is_none()) {
                        s = s.add(
                            x.outstanding
                                .mul(x.ratio.unwrap_or(Decimal::ONE), "preferred as converted")?,
                            "preferred as converted",
                        )?;
                    }
                    s
                }
                Basis::Options | Basis::VestedOptions => {
                    // Options (and warrants) for common; both kinds listed count all.
                    let vested_only =
                        *b == Basis::VestedOptions && !basis.contains(&Basis::Options);
                    if *b == Basis::VestedOptions && basis.contains(&Basis::Options) {
                        continue;
                    }
                    num::sum(
                        c.pools
                            .iter()
                            .filter(|p| c.classes.get(p.class).is_some_and(|x| x.common))
                            .map(|p| if vested_only { p.vested } else { p.count }),
                        "options outstanding",
                    )?
                }
                Basis::Convertibles => {
                    if let Some(safe) = c.classes.iter().find(|x| x.safe.is_some()) {
                        return Err(Kind::Unsupported(format!(
                            "a weighted average that counts convertible securities, with {} outstanding: the shares a SAFE counts for before it converts are not supported yet",
                            safe.name
                        )));
                    }
                    let mut s = Decimal::ZERO;
                    for p in &c.pools {
                        if let Some(x) = c.classes.get(p.class).filter(|x| !x.common) {
                            s = s.add(
                                p.count
                                    .mul(x.ratio.unwrap_or(Decimal::ONE), "convertibles")?,
                                "convertibles",
                            )?;
                        }
                    }
                    s
                }
            };
            n = n.add(part, "shares outstanding")?;
        }
        Ok(n)
    }

    /// Converts a whole class into common at `ratio`: its shares and its
    /// named holders move to the common class. Returns the common shares
    /// issued and the cash the charter pays on conversion.
    pub fn convert_all(
        &mut self,
        c: ClassId,
        ratio: Decimal,
        how: &str,
    ) -> Result<(Decimal, Decimal), Kind> {
        let outstanding = self
            .charter
            .classes
            .get(c)
            .map(|x| x.outstanding)
            .unwrap_or_default();
        let cash_per = self.charter.conversion_cash(c)?;
        let cash = outstanding.mul(cash_per, "cash on conversion")?;
        let new = outstanding.mul(ratio, "common shares")?;
        if let Some(cc) = self.common() {
            if let Some(x) = Arc::make_mut(&mut self.charter).classes.get_mut(cc) {
                x.outstanding = x.outstanding.add(new, "common after conversion")?;
                x.authorized = None;
            }
            for h in Arc::make_mut(&mut self.charter)
                .holders
                .iter_mut()
                .filter(|h| h.class == c)
            {
                h.shares = h.shares.mul(ratio, "holder's common shares")?;
                h.class = cc;
            }
        }
        if let Some(x) = Arc::make_mut(&mut self.charter).classes.get_mut(c) {
            x.outstanding = Decimal::ZERO;
        }
        if let Some(slot) = self.converted.get_mut(c) {
            *slot = Some(how.to_string());
        }
        Ok((new, cash))
    }

    /// A voluntary conversion: the holders' preferred shares leave the class
    /// and the common shares delivered to them join the common class (a
    /// named holder's under its name); a whole class converted is marked
    /// so. `holders` are (name, preferred shares, common delivered), the
    /// rest of the class under "other holders of X".
    pub fn convert_holdings(
        &mut self,
        c: ClassId,
        holders: &[(String, Decimal, Decimal)],
        whole: bool,
    ) -> Result<(), Kind> {
        let Some(cc) = self.common() else {
            return Err(Kind::MissingFact(
                "the charter file declares no common stock to convert into".to_string(),
            ));
        };
        let charter = Arc::make_mut(&mut self.charter);
        let mut converted = Decimal::ZERO;
        let mut delivered = Decimal::ZERO;
        for (name, shares, common) in holders {
            converted = converted.add(*shares, "shares converted")?;
            delivered = delivered.add(*common, "common delivered")?;
            let Some(i) = charter
                .holders
                .iter()
                .position(|h| h.class == c && &h.name == name)
            else {
                continue;
            };
            if let Some(h) = charter.holders.get_mut(i) {
                h.shares = h.shares.sub(*shares, "holder's preferred shares")?;
            }
            match charter
                .holders
                .iter_mut()
                .find(|h| h.class == cc && &h.name == name)
            {
                Some(h) => h.shares = h.shares.add(*common, "holder's common shares")?,
                None => charter.holders.push(Holder {
                    name: name.clone(),
                    class: cc,
                    shares: *common,
                }),
            }
        }
        charter
            .holders
            .retain(|h| !(h.class == c && h.shares.is_zero()));
        if let Some(x) = charter.classes.get_mut(c) {
            x.outstanding = x.outstanding.sub(converted, "shares outstanding")?;
        }
        if let Some(x) = charter.classes.get_mut(cc) {
            x.outstanding = x.outstanding.add(delivered, "common after conversion")?;
            x.authorized = None;
        }
        if whole && let Some(slot) = self.converted.get_mut(c) {
            *slot = Some("at the holders' option".to_string());
        }
        Ok(())
    }

    /// Adds granted options to the capitalization.
    pub fn add_options(
        &mut self,
        count: Decimal,
        vested: Decimal,
        strike: Decimal,
        class: ClassId,
        cite: Cite,
    ) {
        let name = format!(
            "options granted {} ({})",
            self.date,
            self.charter.pools.len().saturating_add(1)
        );
        Arc::make_mut(&mut self.charter).pools.push(Pool {
            name,
            count,
            class,
            strike,
            vested,
            cite,
        });
    }
}

/// Rounds to the unit, half away from zero; returns the step in words when it changed anything.
pub fn round(price: Decimal, unit: Option<RoundingUnit>) -> (Decimal, Option<String>) {
    let Some(unit) = unit else {
        return (price, None);
    };
    let (dp, words) = match unit {
        RoundingUnit::Cent => (2, "the nearest cent"),
        RoundingUnit::HundredthCent => (4, "the nearest 1/100 cent"),
    };
    let r = price.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    if r == price {
        (r, None)
    } else {
        (r, Some(format!("rounded to {words}: {}", price_text(r))))
    }
}

/// A price for explanations: exact, with at most 8 decimal places shown.
pub fn price_text(p: Decimal) -> String {
    let shown = p.round_dp(8).normalize();
    let text = if shown.scale() < 2 {
        format!("{shown:.2}")
    } else {
        shown.to_string()
    };
    if shown == p.normalize() {
        format!("${text}")
    } else {
        format!("${text}…")
    }
}

/// A problem at `span` from an arithmetic failure.
pub fn at(k: Kind, span: Span) -> Problem {
    let overflow = matches!(k, Kind::Overflow(_));
    let p = Problem::new(k, span, "here");
    if overflow {
        p.with_help("amounts up to about $10^16, and up to 10^16 shares, can be computed exactly")
    } else {
        p
    }
}
