//! What is claimed for redemption on a date: obligations owed from earlier
//! dates, and the tranches falling on it, each with the shares eligible and
//! requested and the price.

use super::*;
use crate::ir::{Class, Redemption, RedemptionTranche, Schedule};

/// One class's claim on the date's funds.
pub(super) struct Claim {
    pub(super) class: ClassId,
    pub(super) eligible: Decimal,
    pub(super) requested: Decimal,
    pub(super) price: Decimal,
    pub(super) notes: Vec<String>,
    pub(super) cites: Vec<Cite>,
    pub(super) due: NaiveDate,
    /// Each holder's own request (named holders by index, then the rest
    /// of the class), where holders request their own shares.
    pub(super) blocks: Vec<(Option<usize>, Decimal)>,
}

/// The statement's terms: the date, whether it is a transaction's, the
/// holders' requests and the fair market value.
pub(super) struct Day<'a> {
    pub(super) r: &'a Redemption,
    pub(super) date: NaiveDate,
    pub(super) upon_transaction: bool,
    pub(super) requests: &'a [(ClassId, Decimal)],
    pub(super) fmv: Option<Decimal>,
}

/// Obligations from earlier dates: with the late penalty on the price when
/// due, where the charter states one (Avesta § A.3(f)); otherwise at the
/// price due now, since shares not redeemed stay outstanding and their
/// dividends keep accruing (SCC § 5(d): redeemed "as soon as sufficient
/// funds are legally available", at the Series C Liquidation Amount then).
pub(super) fn owed(s: &mut Scenario, day: &Day) -> Result<Vec<Claim>, Kind> {
    let date = day.date;
    let mut claims = Vec::new();
    for ob in std::mem::take(&mut s.obligations) {
        let (price, note, cite) = match &day.r.penalty {
            Some(p) => (
                ob.price.mul(penalty_factor(p, ob.due, date)?, "penalty")?,
                format!(
                    "owed since {} at {}; {} a year compounded annually to {date}{}",
                    ob.due,
                    num::exact_dollars(ob.price.round_dp(4)),
                    num::percent(p.rate),
                    match p.part_year {
                        Some(PartYear::ProRata) => ", a part of a year pro rata",
                        Some(PartYear::NotCounted) => ", a part of a year not counted",
                        None => "",
                    }
                ),
                Some(p.cite.clone()),
            ),
            None => {
                let (now, cite) = price_on(s, day.r, ob.class, day.fmv)?;
                (
                    now,
                    format!(
                        "owed since {} at {}; at the price due on {date}",
                        ob.due,
                        num::exact_dollars(ob.price.round_dp(4))
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
            blocks: Vec::new(),
        });
    }
    Ok(claims)
}

/// The tranches falling on the date, each a claim after `claims` (the
/// obligations, whose shares a tranche does not count again); whether any
/// fell.
pub(super) fn scheduled(
    s: &mut Scenario,
    day: &Day,
    claims: &mut Vec<Claim>,
    assumptions: &mut Vec<String>,
) -> Result<bool, Kind> {
    let mut any = false;
    for (si, sched) in day.r.schedules.iter().enumerate() {
        for &c in &sched.classes {
            let Some(class) = s.charter.classes.get(c).cloned() else {
                continue;
            };
            for (ti, tranche) in sched.tranches.iter().enumerate() {
                if !falls(s, day, &class, (si, ti, c), tranche.2) {
                    continue;
                }
                any = true;
                let claim = tranche_claim(
                    s,
                    day,
                    (sched, &class),
                    (si, ti, c),
                    tranche,
                    claims,
                    assumptions,
                )?;
                claims.push(claim);
            }
        }
    }
    Ok(any)
}

/// Whether a tranche falls on the date and has not been redeemed already
/// (a transaction's tranche falls on every transaction).
fn falls(s: &Scenario, day: &Day, class: &Class, key: (usize, usize, ClassId), when: When) -> bool {
    let falls = match when {
        When::Date(d) => d == day.date,
        When::Anniversary(n) => {
            class
                .issued
                .and_then(|d| add(d, crate::ir::Duration::Years(n)))
                == Some(day.date)
        }
        When::Transaction => day.upon_transaction,
    };
    let once = !matches!(when, When::Transaction);
    falls && !(once && s.tranches_done.contains(&key))
}

/// One tranche's claim: the shares eligible (and each holder's, where
/// holders request their own), those requested, and the price; the carry
/// over recorded and what the answer assumes noted.
fn tranche_claim(
    s: &mut Scenario,
    day: &Day,
    (sched, class): (&Schedule, &Class),
    key: (usize, usize, ClassId),
    &(fraction, carry, when): &RedemptionTranche,
    claims: &[Claim],
    assumptions: &mut Vec<String>,
) -> Result<Claim, Kind> {
    let date = day.date;
    if when == When::Transaction {
        assumptions.push(format!(
            "the transaction is not treated as a liquidation and would pay {} less than its liquidation preference{}",
            class.name,
            sched.cite.paren()
        ));
    }
    let c = key.2;
    s.tranches_done.push(key);
    let first_base = first_base(s, c, class.outstanding);
    // Shares already owed from an earlier date are requested already: a new
    // tranche counts the rest.
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
    let pct = day
        .requests
        .iter()
        .find(|x| x.0 == c)
        .map_or(Decimal::ONE, |x| x.1);
    // "up to one-third, as requested by such holder, of the ... shares held
    // by such holder" (Avesta § A.3(a)): where each holder requests its own
    // shares, each request is its own whole number of shares.
    let in_all = (carry == Carry::InAll).then_some(first_base);
    let blocks = match fraction {
        Some((n, d)) if sched.election.is_none() && matches!(carry, Carry::None | Carry::InAll) => {
            holder_blocks(s, c, holding, (n, d), in_all)?
        }
        _ => Vec::new(),
    };
    let (eligible, how) = match fraction {
        None => (
            holding,
            "all shares outstanding and not already owed".to_string(),
        ),
        Some(part) => eligible(s, c, carry, part, (first_base, holding), &blocks)?,
    };
    let blocks: Vec<(Option<usize>, Decimal)> = blocks
        .into_iter()
        .map(|(h, e)| Ok((h, e.mul(pct, "requested")?.floor())))
        .collect::<Result<_, Kind>>()?;
    let requested = if blocks.is_empty() {
        eligible.mul(pct, "requested")?.floor()
    } else {
        num::sum(blocks.iter().map(|b| b.1), "requested")?
    };
    // Carry-over: eligible shares not requested stay eligible.
    if let Some(slot) = s.redemption_carry.get_mut(c) {
        *slot = (eligible, eligible.sub(requested, "carry-over")?);
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
    let (price, price_cite) = price_on(s, day.r, c, day.fmv)?;
    let price_cite = price_cite.unwrap_or_else(|| sched.cite.clone());
    Ok(Claim {
        class: c,
        eligible,
        requested,
        price,
        notes: vec![how, format!("{} requested", num::percent(pct))],
        cites: vec![sched.cite.clone(), price_cite],
        due: date,
        blocks,
    })
}

/// The class's shares outstanding at its first tranche; the first tranche
/// records them, and what each holder held then, for a cumulative schedule.
fn first_base(s: &mut Scenario, c: ClassId, outstanding: Decimal) -> Decimal {
    let first = *s
        .redemption_base
        .get(c)
        .and_then(|b| b.as_ref())
        .unwrap_or(&outstanding);
    if let Some(slot) = s.redemption_base.get_mut(c)
        && slot.is_none()
    {
        *slot = Some(outstanding);
        let firsts: Vec<(usize, Decimal)> = s
            .charter
            .holders
            .iter()
            .enumerate()
            .filter(|(_, h)| h.class == c)
            .map(|(i, h)| (i, h.shares))
            .collect();
        for (i, sh) in firsts {
            if let Some(b) = s.redemption_base_holders.get_mut(i) {
                *b = Some(sh);
            }
        }
    }
    first
}

/// The shares a tranche of `n/d` makes eligible, and how, given the shares
/// at the first tranche and held now (each holder's own in `blocks`, where
/// holders request their own shares).
fn eligible(
    s: &Scenario,
    c: ClassId,
    carry: Carry,
    (n, d): (Decimal, Decimal),
    (first_base, holding): (Decimal, Decimal),
    blocks: &[(Option<usize>, Decimal)],
) -> Result<(Decimal, String), Kind> {
    let part = fraction_words(n, d);
    if !blocks.is_empty() {
        let how = if carry == Carry::InAll {
            format!(
                "up to {part} in all of each holder's {} shares at the first tranche, less those redeemed or owed since, in whole shares",
                num::shares(first_base)
            )
        } else {
            format!(
                "up to {part} of each holder's {} shares, in whole shares",
                num::shares(holding)
            )
        };
        return Ok((num::sum(blocks.iter().map(|b| b.1), "eligible")?, how));
    }
    if carry == Carry::InAll {
        return Ok((
            cumulative(first_base, holding, (n, d))?,
            format!(
                "up to {part} in all of the {} shares at the first tranche, less {} redeemed or owed since",
                num::shares(first_base),
                num::shares(first_base.sub(holding, "shares redeemed or owed")?)
            ),
        ));
    }
    let carried = match carry {
        Carry::None | Carry::InAll => Decimal::ZERO,
        Carry::Unredeemed => s.redemption_carry.get(c).map_or(Decimal::ZERO, |x| x.1),
        Carry::AllEligible => s.redemption_carry.get(c).map_or(Decimal::ZERO, |x| x.0),
    };
    let carries = carry != Carry::None;
    let base = if carries { first_base } else { holding };
    let mut e = base.mul(n, "eligible")?.div(d, "eligible")?.floor();
    let mut how = format!("up to {part} of {} shares", num::shares(base));
    if carries {
        e = e.add(carried, "eligible")?;
        how = match carry {
            Carry::AllEligible => {
                format!("{how} plus the {} eligible before", num::shares(carried))
            }
            _ => format!("{how} plus {} carried over", num::shares(carried)),
        };
    }
    Ok((e.min(holding), how))
}

/// A fraction in words: `50%` for fifty hundredths, else `1/3`.
fn fraction_words(n: Decimal, d: Decimal) -> String {
    if d == Decimal::ONE_HUNDRED {
        format!("{}%", n.normalize())
    } else {
        format!("{}/{}", n.normalize(), d.normalize())
    }
}

/// The error when nothing falls on the date: the dates that are scheduled.
pub(super) fn nothing_scheduled(s: &Scenario, r: &Redemption, date: NaiveDate) -> Kind {
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
    Kind::Impossible(format!(
        "nothing is scheduled or owed for redemption on {date}; scheduled dates: {}",
        dates.join(", ")
    ))
}
