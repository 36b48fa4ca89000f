//! SAFEs and notes as OCF convertible issuances: the amount, and a
//! `SAFE_CONVERSION` or `CONVERTIBLE_NOTE_CONVERSION` mechanism with the
//! cap, the discount (OCF's is 100% less the Discount Rate), the exit
//! multiple, MFN and timing, and a note's interest; the seniority its rank
//! gives. What OCF has no field for (a note's conversion at a sale, its
//! maturity) travels in the charter text the export carries.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::holdings::Holdings;
use super::{Notes, money, numeric};
use crate::ir::{Charter, Safe};
use crate::syntax::ast::DayCount;

/// A convertible issuance for each SAFE and note, with `seniority` its
/// OCF seniority by class.
pub fn issuances(
    charter: &Charter,
    seniority: &[Decimal],
    date: &str,
    h: &mut Holdings,
    notes: &mut Notes,
) -> Vec<Value> {
    let mut out = Vec::new();
    for (id, class) in charter.classes.iter().enumerate() {
        let Some(safe) = class.safe.as_deref() else {
            continue;
        };
        let holder_name = charter
            .holders
            .iter()
            .find(|x| x.class == id)
            .map_or_else(|| format!("Holder of {}", class.name), |x| x.name.clone());
        let holder = h.stakeholder(&holder_name, "INSTITUTION");
        let n = out.len().saturating_add(1);
        let issued = class
            .issued
            .map_or_else(|| date.to_string(), |d| d.format("%Y-%m-%d").to_string());
        let mechanism = match safe.note.as_deref() {
            None => safe_mechanism(safe),
            Some(note) => note_mechanism(safe, note, &class.name, notes),
        };
        let mut tx = json!({
            "object_type": "TX_CONVERTIBLE_ISSUANCE",
            "id": format!("convertible-issuance-{n}"),
            "security_id": format!("security-convertible-{n}"),
            "date": issued,
            "custom_id": class.ident,
            "stakeholder_id": holder,
            "convertible_type": if safe.note.is_some() { "NOTE" } else { "SAFE" },
            "investment_amount": money(safe.purchase),
            "conversion_triggers": [{
                "trigger_id": format!("convertible-{n}-financing"),
                "type": "AUTOMATIC_ON_CONDITION",
                "trigger_condition": "an equity financing, as the instrument defines it",
                "conversion_right": {
                    "type": "CONVERTIBLE_CONVERSION_RIGHT",
                    "converts_to_future_round": true,
                    "conversion_mechanism": mechanism,
                },
            }],
            "seniority": seniority
                .get(id)
                .and_then(|d| i64::try_from(d.trunc().mantissa()).ok())
                .unwrap_or(1),
            "security_law_exemptions": [],
            "comments": [super::exported_from(charter)],
        });
        if safe.pro_rata {
            super::set(&mut tx, "pro_rata", numeric(safe.purchase));
        }
        out.push(tx);
    }
    out
}

/// The mechanism fields a SAFE and a note share.
fn shared(safe: &Safe, mechanism: &mut Value) {
    if let Some(cap) = safe.cap {
        super::set(mechanism, "conversion_valuation_cap", money(cap));
    }
    if let Some(rate) = safe.discount_rate {
        super::set(
            mechanism,
            "conversion_discount",
            numeric(Decimal::ONE.saturating_sub(rate)),
        );
    }
}

/// A SAFE's `SAFE_CONVERSION` mechanism.
fn safe_mechanism(safe: &Safe) -> Value {
    let mut m = json!({
        "type": "SAFE_CONVERSION",
        "conversion_mfn": safe.mfn,
        "conversion_timing": if safe.post_money { "POST_MONEY" } else { "PRE_MONEY" },
    });
    shared(safe, &mut m);
    if safe.exit_multiple != Decimal::ONE {
        super::set(
            &mut m,
            "exit_multiple",
            json!({"numerator": numeric(safe.exit_multiple), "denominator": "1"}),
        );
    }
    m
}

/// A note's `CONVERTIBLE_NOTE_CONVERSION` mechanism.
fn note_mechanism(safe: &Safe, note: &crate::ir::Note, name: &str, notes: &mut Notes) -> Value {
    let (rate, compounding, day_count) = note.interest;
    if day_count == DayCount::ActualActual {
        notes.push(format!(
            "{name}: interest counted actual/actual, which OCF's day counts (ACTUAL_365, 30_360) do not name; written ACTUAL_365, and carried in the charter text"
        ));
    }
    let mut m = json!({
        "type": "CONVERTIBLE_NOTE_CONVERSION",
        "interest_rates": [{
            "rate": numeric(rate),
            "accrual_start_date": note.issued.format("%Y-%m-%d").to_string(),
        }],
        "day_count_convention": "ACTUAL_365",
        "interest_payout": "DEFERRED",
        "interest_accrual_period": if compounding { "ANNUAL" } else { "DAILY" },
        "compounding_type": if compounding { "COMPOUNDING" } else { "SIMPLE" },
        "capitalization_definition": if safe.post_money {
            "post-money: the capitalization counts the notes and SAFEs as converted"
        } else {
            "pre-money: the capitalization leaves out the notes and SAFEs"
        },
        "exit_multiple": {"numerator": numeric(note.multiple), "denominator": "1"},
    });
    shared(safe, &mut m);
    m
}
