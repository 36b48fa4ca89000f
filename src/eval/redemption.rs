//! `redeem on DATE [funds $X] [requests A 50%, ...] [at $FMV]`: shares
//! redeemed on a scheduled date, at the charter's price, in the charter's
//! order; a shortfall of funds shared by the charter's rule and carried as an
//! obligation that grows by the late penalty until paid.
//!
//! A tranche makes eligible a fraction of the class's shares outstanding on
//! the date and not already owed from an earlier date (of those outstanding
//! at the first tranche, when it carries over shares eligible before and not
//! redeemed). Holders request a share of what
//! is eligible: all, unless the statement says otherwise. Shares are redeemed
//! whole; the late penalty compounds on whole years and accrues simply on the
//! days past the last anniversary of the due date (actual/365).

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::scenario::{Scenario, add};
use super::{apportion, dividends};
use crate::diagnostic::Kind;
use crate::ir::{Cite, ClassId, When};
use crate::num::{self, Checked};

/// An obligation to redeem that funds did not cover.
#[derive(Debug, Clone)]
pub struct Obligation {
    /// The class.
    pub class: ClassId,
    /// Shares still to be redeemed.
    pub shares: Decimal,
    /// Price per share when due.
    pub price: Decimal,
    /// When it was due.
    pub due: NaiveDate,
}

/// What happened to one class.
#[derive(Debug, Clone)]
pub struct ClassRedemption {
    /// Display name.
    pub name: String,
    /// Shares eligible now (scheduled), or still owed (obligations).
    pub eligible: Decimal,
    /// Shares requested.
    pub requested: Decimal,
    /// Shares redeemed.
    pub redeemed: Decimal,
    /// Price per share, penalty included.
    pub price: Decimal,
    /// Amount paid, to the cent.
    pub paid: Decimal,
    /// Shares requested and not redeemed, now owed.
    pub short: Decimal,
    /// How the figures came about.
    pub notes: Vec<String>,
    /// The clauses.
    pub cites: Vec<Cite>,
    /// Named holders' shares redeemed and amounts paid (and the rest of the class).
    pub holders: Vec<(String, Decimal, Decimal)>,
}

/// The answer to `redeem on DATE`.
#[derive(Debug, Clone)]
pub struct RedeemOutcome {
    /// The date.
    pub date: NaiveDate,
    /// Funds available, if limited.
    pub funds: Option<Decimal>,
    /// Per class.
    pub classes: Vec<ClassRedemption>,
    /// What the answer assumes.
    pub assumptions: Vec<String>,
}

/// The penalty factor from `due` to `date` at `rate` a year, compounded annually.
pub fn penalty_factor(rate: Decimal, due: NaiveDate, date: NaiveDate) -> Result<Decimal, Kind> {
    let mut years = 0i32;
    let mut anniversary = due;
    while let Some(next) = due.with_year(due.year() + years + 1) {
        if next > date {
            break;
        }
        years += 1;
        anniversary = next;
    }
    let mut f = Decimal::ONE;
    for _ in 0..years {
        f = f.mul(Decimal::ONE + rate, "penalty")?;
    }
    let days = Decimal::from((date - anniversary).num_days().max(0));
    let part = Decimal::ONE.add(
        rate.mul(days, "penalty")?
            .div(Decimal::from(365), "penalty")?,
        "penalty",
    )?;
    f.mul(part, "penalty")
}

/// The redemption price of a share of `c` on the scenario's date (its
/// accrued dividends set): its preference with dividends, or the greater of
/// that and the fair market value where the charter says so.
fn price_on(
    s: &Scenario,
    r: &crate::ir::Redemption,
    c: ClassId,
    fmv: Option<Decimal>,
) -> Result<(Decimal, Option<Cite>), Kind> {
    let class = s
        .charter
        .classes
        .get(c)
        .ok_or_else(|| Kind::Overflow("redemption class".to_string()))?;
    let (greater, cite) = match r.price.get(c).cloned().flatten() {
        Some((g, cite)) => (g, Some(cite)),
        None => (false, None),
    };
    let pref = s
        .charter
        .liquidation
        .preference
        .get(c)
        .and_then(|p| p.as_ref())
        .ok_or_else(|| {
            Kind::MissingFact(format!(
                "`{}` has no liquidation preference to redeem at",
                class.name
            ))
        })?
        .with_dividends(class)
        .ok_or_else(|| Kind::Overflow("redemption price".to_string()))?;
    if !greater {
        return Ok((pref, cite));
    }
    match fmv {
        Some(v) => Ok((v.max(pref), cite)),
        None => Err(Kind::MissingFact(format!(
            "`{}` is redeemed at the greater of fair market value and its preference ({}): give the value with `at $X`",
            class.name,
            num::dollars(pref)
        ))),
    }
}

/// Redeems what is scheduled or owed on `date`.
pub fn redeem(
    s: &mut Scenario,
    date: NaiveDate,
    upon_transaction: bool,
    funds: Option<Decimal>,
    requests: &[(ClassId, Decimal)],
    fmv: Option<Decimal>,
) -> Result<RedeemOutcome, Kind> {
    let Some(r) = s.charter.redemption.clone() else {
        return Err(Kind::MissingFact(
            "the charter file states no redemption provisions".to_string(),
        ));
    };
    dividends::set_accrued(s)?;
    let mut assumptions = Vec::new();
    // Claims: (class, eligible, requested, price, notes, cites, is_obligation, due)
    struct Claim {
        class: ClassId,
        eligible: Decimal,
        requested: Decimal,
        price: Decimal,
        notes: Vec<String>,
        cites: Vec<Cite>,
        due: NaiveDate,
    }
    let mut claims: Vec<Claim> = Vec::new();

    // Obligations from earlier dates: with the late penalty on the price when
    // due, where the charter states one (Avesta § A.3(f)); otherwise at the
    // price due now, since shares not redeemed stay outstanding and their
    // dividends keep accruing (SCC § 5(d): redeemed "as soon as sufficient
    // funds are legally available", at the Series C Liquidation Amount then).
    for ob in std::mem::take(&mut s.obligations) {
        let (price, note, cite) = match &r.penalty {
            Some((rate, cite)) => (
                ob.price
                    .mul(penalty_factor(*rate, ob.due, date)?, "penalty")?,
                format!(
                    "owed since {} at {}; {}% a year compounded annually to {date}",
                    ob.due,
                    num::dollars(ob.price),
                    (*rate * Decimal::ONE_HUNDRED).normalize()
                ),
                Some(cite.clone()),
            ),
            None => {
                let (now, cite) = price_on(s, &r, ob.class, fmv)?;
                (
                    now,
                    format!(
                        "owed since {} at {}; at the price due on {date}",
                        ob.due,
                        num::dollars(ob.price)
                    ),
                    cite,
                )
            }
        };
        claims.push(Claim {
            class: ob.class,
            eligible: ob.shares,
            requested: ob.shares,
            price,
            notes: vec![note],
            cites: cite.into_iter().collect(),
            due: ob.due,
        });
    }

    // Tranches falling on this date.
    let mut scheduled = false;
    for (si, sched) in r.schedules.iter().enumerate() {
        for &c in &sched.classes {
            let Some(class) = s.charter.classes.get(c).cloned() else {
                continue;
            };
            for (ti, (fraction, carry, when)) in sched.tranches.iter().enumerate() {
                let falls = match when {
                    When::Date(d) => *d == date,
                    When::Anniversary(n) => {
                        class
                            .issued
                            .and_then(|d| add(d, crate::ir::Duration::Years(*n)))
                            == Some(date)
                    }
                    When::Transaction => upon_transaction,
                };
                let once = !matches!(when, When::Transaction);
                if !falls || (once && s.tranches_done.contains(&(si, ti, c))) {
                    continue;
                }
                if *when == When::Transaction {
                    assumptions.push(format!(
                        "the transaction is not treated as a liquidation and would pay {} less than its liquidation preference{}",
                        class.name,
                        sched.cite.paren()
                    ));
                }
                scheduled = true;
                s.tranches_done.push((si, ti, c));
                let first_base = *s
                    .redemption_base
                    .get(c)
                    .and_then(|b| b.as_ref())
                    .unwrap_or(&class.outstanding);
                if let Some(slot) = s.redemption_base.get_mut(c) {
                    slot.get_or_insert(class.outstanding);
                }
                let fraction_words = |n: &Decimal, d: &Decimal| {
                    if *d == Decimal::ONE_HUNDRED {
                        format!("{}%", n.normalize())
                    } else {
                        format!("{}/{}", n.normalize(), d.normalize())
                    }
                };
                let carried = s.redemption_carry.get(c).copied().unwrap_or_default();
                // Shares already owed from an earlier date are requested
                // already: a new tranche counts the rest.
                let owed = num::sum(
                    claims
                        .iter()
                        .filter(|o| o.class == c && o.due < date)
                        .map(|o| o.requested),
                    "owed",
                )?;
                let holding = class
                    .outstanding
                    .sub(owed, "shares held")?
                    .max(Decimal::ZERO);
                let (eligible, how) = match fraction {
                    None => (
                        holding,
                        "all shares outstanding and not already owed".to_string(),
                    ),
                    Some((n, d)) => {
                        let base = if *carry { first_base } else { holding };
                        let mut e = base.mul(*n, "eligible")?.div(*d, "eligible")?.floor();
                        let mut how = format!(
                            "up to {} of {} shares",
                            fraction_words(n, d),
                            num::shares(base)
                        );
                        if *carry {
                            e = e.add(carried, "eligible")?;
                            how = format!("{how} plus {} carried over", num::shares(carried));
                        }
                        (e.min(holding), how)
                    }
                };
                let pct = requests
                    .iter()
                    .find(|x| x.0 == c)
                    .map_or(Decimal::ONE, |x| x.1);
                let requested = eligible.mul(pct, "requested")?.floor();
                // Carry-over: eligible shares not requested stay eligible.
                if let Some(slot) = s.redemption_carry.get_mut(c) {
                    *slot = eligible.sub(requested, "carry-over")?;
                }
                if let Some((t, electors)) = &sched.election {
                    let names: Vec<String> = electors.iter().map(|e| s.name(*e)).collect();
                    assumptions.push(format!(
                        "holders of {} of {} elect to redeem{}",
                        t.words(),
                        names.join(", "),
                        sched.cite.paren()
                    ));
                }
                let (price, price_cite) = price_on(s, &r, c, fmv)?;
                let price_cite = price_cite.unwrap_or_else(|| sched.cite.clone());
                claims.push(Claim {
                    class: c,
                    eligible,
                    requested,
                    price,
                    notes: vec![
                        how,
                        format!("{}% requested", (pct * Decimal::ONE_HUNDRED).normalize()),
                    ],
                    cites: vec![sched.cite.clone(), price_cite],
                    due: date,
                });
            }
        }
    }
    if !scheduled && claims.is_empty() {
        let mut dates = Vec::new();
        for sched in &r.schedules {
            for &c in &sched.classes {
                for (_, _, when) in &sched.tranches {
                    let d = match when {
                        When::Date(d) => Some(*d),
                        When::Anniversary(n) => s
                            .charter
                            .classes
                            .get(c)
                            .and_then(|x| x.issued)
                            .and_then(|d| add(d, crate::ir::Duration::Years(*n))),
                        When::Transaction => None,
                    };
                    if let Some(d) = d {
                        dates.push(d.to_string());
                    }
                }
            }
        }
        dates.sort();
        dates.dedup();
        return Err(Kind::Impossible(format!(
            "nothing is scheduled or owed for redemption on {date}; scheduled dates: {}",
            dates.join(", ")
        )));
    }

    // Fund tier by tier: classes listed first in an order clause come first.
    let tier = |c: ClassId| {
        if r.order.iter().any(|o| o.0.contains(&c)) {
            0
        } else {
            1
        }
    };
    let mut left = funds;
    let mut outcomes: Vec<(usize, Decimal)> = Vec::new(); // claim index, shares redeemed
    for t in 0..2 {
        let idx: Vec<usize> = (0..claims.len())
            .filter(|&i| claims.get(i).is_some_and(|c| tier(c.class) == t))
            .collect();
        let mut cost = Decimal::ZERO;
        for c in idx.iter().filter_map(|&i| claims.get(i)) {
            cost = cost.add(c.requested.mul(c.price, "redemption")?, "redemption")?;
        }
        // The same fraction of every claim: pro rata by shares requested and
        // by amount agree when each class has one price.
        let fraction = match left {
            Some(f) if f < cost && !cost.is_zero() => f.div(cost, "pro rata")?,
            _ => Decimal::ONE,
        };
        for i in idx {
            let Some(c) = claims.get(i) else { continue };
            let shares = c.requested.mul(fraction, "redeemed")?.floor();
            if let Some(f) = left.as_mut() {
                *f = f
                    .sub(shares.mul(c.price, "paid")?, "funds")?
                    .max(Decimal::ZERO);
            }
            outcomes.push((i, shares));
        }
    }

    let mut out = Vec::new();
    for (i, redeemed) in outcomes {
        let Some(c) = claims.get(i) else { continue };
        let paid = redeemed
            .mul(c.price, "paid")?
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        let short = c.requested.sub(redeemed, "short")?;
        if short > Decimal::ZERO {
            s.obligations.push(Obligation {
                class: c.class,
                shares: short,
                price: c.price,
                due: c.due,
            });
        }
        // Redeemed shares leave the class, from each holder pro rata.
        let before_shares = s
            .charter
            .classes
            .get(c.class)
            .map(|x| x.outstanding)
            .unwrap_or_default();
        let holders: Vec<(String, Decimal, Decimal)> =
            apportion::to_holders(&s.charter, c.class, before_shares, paid)?
                .into_iter()
                .map(|(n, sh, a)| {
                    let redeemed_h = if before_shares.is_zero() {
                        Decimal::ZERO
                    } else {
                        (redeemed * sh / before_shares).round_dp(4)
                    };
                    (n, redeemed_h, a)
                })
                .collect();
        if let Some(class) = s.charter.classes.get_mut(c.class) {
            let before = class.outstanding;
            class.outstanding = before.sub(redeemed, "outstanding")?;
            if !before.is_zero() {
                let keep = class.outstanding;
                for h in s.charter.holders.iter_mut().filter(|h| h.class == c.class) {
                    h.shares = h
                        .shares
                        .mul(keep, "holder's shares")?
                        .div(before, "pro rata")?;
                }
            }
        }
        let mut notes = c.notes.clone();
        if let (Some(by_amount), true) = (r.shortfall.as_ref().map(|x| x.0), short > Decimal::ZERO)
        {
            notes.push(format!(
                "funds short: shared pro rata by {}; {} shares owed from {} with the late penalty",
                if by_amount {
                    "redemption amount"
                } else {
                    "shares requested"
                },
                num::shares(short),
                c.due
            ));
        }
        let mut cites = c.cites.clone();
        if short > Decimal::ZERO {
            cites.extend(r.shortfall.iter().map(|x| x.1.clone()));
        }
        out.push(ClassRedemption {
            name: s.name(c.class),
            eligible: c.eligible,
            requested: c.requested,
            redeemed,
            price: c.price,
            paid,
            short,
            notes,
            cites,
            holders,
        });
    }
    Ok(RedeemOutcome {
        date,
        funds,
        classes: out,
        assumptions,
    })
}
