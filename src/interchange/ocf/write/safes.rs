//! The SAFEs and notes a package records, as `safe` and `note` blocks
//! (a note's form and change-of-control terms are gaps: OCF gives them only
//! in words or as an exit multiple). A SAFE's: the purchase amount,
//! cap, discount (written as the form's Discount Rate, 100% less it), MFN
//! and pro rata rights from the convertible issuance and its
//! `SAFE_CONVERSION` mechanism, with its exit multiple; the form from its
//! timing. Where it ranks against the preferred OCF gives only as a
//! seniority number, so that is a gap.

use rust_decimal::Decimal;

use super::{Writer, ident_of, quotable};
use crate::interchange::ocf::ledger::{Convertible, dollars};
use crate::num;

/// Writes each SAFE's block, with its gaps.
pub fn safes(w: &mut Writer) {
    let mut taken: Vec<String> = w.idents.clone();
    for s in w.ledger.convertibles.clone() {
        let (word, label) = if s.note {
            ("Note", "note")
        } else {
            ("Safe", "SAFE")
        };
        let base = s
            .holder
            .as_ref()
            .map_or_else(|| word.to_string(), |h| ident_of(&format!("{word} {h}")));
        let mut ident = base.clone();
        let mut n = 2u32;
        while taken.contains(&ident) {
            ident = format!("{base}{n}");
            n = n.saturating_add(1);
        }
        taken.push(ident.clone());
        let source = format!("TX_CONVERTIBLE_ISSUANCE {}", s.id);
        let name = s.holder.as_ref().map_or_else(
            || format!("{} {}", label, s.id),
            |h| format!("{} ({h})", if s.note { "Note" } else { "SAFE" }),
        );
        if s.note {
            note_block(w, (&ident, &name, &source), &s);
            continue;
        }
        w.line(
            0,
            &format!("safe {ident} \"{}\" {{", quotable(&name)),
            &source,
        );
        let m = &s.mechanism;
        match m.conversion_timing.as_deref() {
            Some("POST_MONEY") => w.line(1, "post-money", "conversion_timing POST_MONEY"),
            Some("PRE_MONEY") => w.line(1, "pre-money", "conversion_timing PRE_MONEY"),
            other => w.gap(format!(
                "{name}: {source} gives {} as its conversion timing; write `post-money` or `pre-money` in its `safe` block as the agreement states",
                other.map_or("none".to_string(), |t| format!("`{t}`"))
            )),
        }
        w.line(
            1,
            &format!(
                "purchase amount {}",
                num::exact_dollars(s.amount.normalize())
            ),
            "investment_amount",
        );
        if let Some(cap) = &m.conversion_valuation_cap {
            match dollars(cap) {
                Ok(c) => w.line(
                    1,
                    &format!("valuation cap {}", num::exact_dollars(c.normalize())),
                    "conversion_valuation_cap",
                ),
                Err(why) => w.gap(format!("{name}: its valuation cap {why}")),
            }
        }
        if let Some(d) = m.conversion_discount {
            match Decimal::ONE
                .checked_sub(d.0)
                .filter(|r| *r > Decimal::ZERO && d.0 > Decimal::ZERO)
            {
                Some(rate) => w.line(
                    1,
                    &format!("discount rate {}", num::percent(rate)),
                    &format!(
                        "conversion_discount {}: 100% less the discount",
                        d.0.normalize()
                    ),
                ),
                None => w.gap(format!(
                    "{name}: a conversion discount of {} is not above 0 and below 1",
                    d.0.normalize()
                )),
            }
        }
        if let Some(r) = &m.exit_multiple {
            exit_multiple(w, &name, r);
        }
        if m.conversion_mfn == Some(true) {
            w.line(1, "most favored nation", "conversion_mfn");
        }
        if s.pro_rata {
            w.line(1, "pro rata rights", "pro_rata");
        }
        if let Some(date) = s.date.as_deref() {
            w.line(1, &format!("issued {date}"), "date");
        }
        w.out.push_str("}\n");
        rank_gap(w, &name, &ident, "as the SAFE's Liquidity Priority states");
    }
}

/// The gap for where an instrument ranks, which OCF gives only as a
/// seniority number; then the block's gaps.
fn rank_gap(w: &mut Writer, name: &str, ident: &str, how: &str) {
    w.gap(format!(
        "{name}: where it ranks against the preferred — OCF gives only a seniority number — add `{ident} pari passu with ...` (or `senior to`) and its shortfall rule to the liquidation block, {how}"
    ));
    w.flush();
    w.out.push('\n');
}

/// A note's block: principal, interest (one rate, by a day count the
/// language counts, simple or compounding annually), issue date, cap and
/// discount; its form and change-of-control terms, which OCF states only
/// in words or as an exit multiple, are gaps.
fn note_block(w: &mut Writer, (ident, name, source): (&str, &str, &str), s: &Convertible) {
    let m = &s.mechanism;
    w.line(
        0,
        &format!("note {ident} \"{}\" {{", quotable(name)),
        source,
    );
    w.line(
        1,
        &format!("principal {}", num::exact_dollars(s.amount.normalize())),
        "investment_amount",
    );
    let compounding = match (
        m.compounding_type.as_deref(),
        m.interest_accrual_period.as_deref(),
    ) {
        (Some("SIMPLE"), _) => Some("simple"),
        (Some("COMPOUNDING"), Some("ANNUAL")) => Some("compounding annually"),
        _ => None,
    };
    match (m.interest_rates.as_slice(), m.day_count_convention.as_deref(), compounding) {
        ([one], Some("ACTUAL_365"), Some(how)) if one.accrual_end_date.is_none() => w.line(
            1,
            &format!("interest {} per annum, accruing daily actual/365, {how}", num::percent(one.rate.0)),
            "interest_rates, day_count_convention, compounding_type",
        ),
        _ => w.gap(format!(
            "{name}: its interest — OCF gives {} rate(s), day count {}, compounding {} every {} — is not one rate by actual/365, simple or compounding annually; write `interest R% per annum, accruing daily actual/365, simple` as the note states",
            m.interest_rates.len(),
            m.day_count_convention.as_deref().unwrap_or("none"),
            m.compounding_type.as_deref().unwrap_or("none"),
            m.interest_accrual_period.as_deref().unwrap_or("none")
        )),
    }
    if m.interest_payout.as_deref() == Some("CASH") {
        w.gap(format!("{name}: its interest is paid out in cash, so less of it may be owed than accrues; check what is owed"));
    }
    let start = m
        .interest_rates
        .first()
        .and_then(|r| r.accrual_start_date.clone())
        .or_else(|| s.date.clone());
    if let Some(date) = start {
        w.line(1, &format!("issued {date}"), "accrual_start_date");
    }
    if let Some(cap) = m.conversion_valuation_cap.as_ref().map(dollars) {
        match cap {
            Ok(c) => w.line(
                1,
                &format!("valuation cap {}", num::exact_dollars(c.normalize())),
                "conversion_valuation_cap",
            ),
            Err(why) => w.gap(format!("{name}: its valuation cap {why}")),
        }
    }
    if let Some(rate) = m.conversion_discount.and_then(|d| {
        Decimal::ONE
            .checked_sub(d.0)
            .filter(|r| *r > Decimal::ZERO && d.0 > Decimal::ZERO)
    }) {
        w.line(
            1,
            &format!("discount rate {}", num::percent(rate)),
            "conversion_discount: 100% less the discount",
        );
    }
    w.out.push_str("}\n");
    w.gap(format!(
        "{name}: whether the cap divides a capitalization with the notes and SAFEs (`post-money`) or without (`pre-money`) — OCF says: \"{}\"; add the line to its `note` block",
        m.capitalization_definition.as_deref().unwrap_or("nothing")
    ));
    let multiple = m.exit_multiple.as_ref().map_or("1".to_string(), |r| {
        format!(
            "{}/{}",
            r.numerator.0.normalize(),
            r.denominator.0.normalize()
        )
    });
    w.gap(format!(
        "{name}: what it is paid at a sale — OCF's exit multiple is {multiple} — add `change of control: Nx principal and interest` (with `, or conversion at the cap` where it converts) to its `note` block"
    ));
    rank_gap(
        w,
        name,
        ident,
        "as debt is paid: ahead of the preferred unless the note says otherwise",
    );
}

/// The `exit multiple` line, where OCF's ratio ends within the places a
/// multiple holds; else a gap.
fn exit_multiple(w: &mut Writer, name: &str, r: &crate::interchange::ocf::model::Ratio) {
    let (n, d) = (r.numerator.0, r.denominator.0);
    let multiple = n
        .checked_div(d)
        .map(|x| x.normalize())
        .filter(|x| *x > Decimal::ZERO && x.scale() <= 12 && x.checked_mul(d) == Some(n));
    match multiple {
        Some(x) => w.line(
            1,
            &format!("exit multiple {x}x"),
            &format!("exit_multiple {}/{}", n.normalize(), d.normalize()),
        ),
        None => w.gap(format!(
            "{name}: an exit multiple of {}/{}, which does not end as a multiple; write `exit multiple Nx` as the agreement states",
            n.normalize(),
            d.normalize()
        )),
    }
}
