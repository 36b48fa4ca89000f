//! A split of common as OCF practice records it: the class split, every
//! open security of common reissued at the new count (a stock reissuance
//! naming the split, and the new issuance), options and warrants for common
//! cancelled and granted again at the new count and exercise price, and
//! common's authorized shares adjusted — what the engine's split does
//! (`eval::scenario::split`), so that an import reads back the counts the
//! scenario holds rather than the counts before the split.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::{class_id, money, numeric, set};
use crate::ir::Charter;

/// The transactions of a split of common, `new` for `old`, dated `date`,
/// appended to `out`; `open` holds each open security's issuance by class,
/// replaced by its reissue.
pub fn split(
    charter: &Charter,
    (new, old): (Decimal, Decimal),
    date: &str,
    statement: &str,
    open: &mut [(usize, Value)],
    out: &mut Vec<Value>,
) {
    let comment = format!("charter: {statement}");
    for (common, class) in charter.classes.iter().enumerate().filter(|(_, c)| c.common) {
        let split_id = format!("split-{}", out.len().saturating_add(1));
        out.push(json!({
            "object_type": "TX_STOCK_CLASS_SPLIT",
            "id": split_id,
            "date": date,
            "stock_class_id": class_id(charter, common),
            "split_ratio": {"numerator": numeric(new.normalize()), "denominator": numeric(old.normalize())},
            "comments": [comment],
        }));
        for (_, issuance) in open.iter_mut().filter(|(c, _)| *c == common) {
            let n = out.len().saturating_add(1);
            let again = reissued(issuance, (new, old), date, n);
            out.extend(closing(issuance, &split_id, &again, date, n, &comment));
            out.push(again.clone());
            *issuance = again;
        }
        if let Some(authorized) = class.authorized {
            out.push(json!({
                "object_type": "TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT",
                "id": format!("authorized-shares-adjustment-{}", out.len().saturating_add(1)),
                "date": date,
                "stock_class_id": class_id(charter, common),
                "new_shares_authorized": numeric(scaled(authorized, new, old)),
                "comments": [comment],
            }));
        }
    }
}

/// `x × new / old`, as the engine scales a count (`x` unchanged where that
/// overflows, which a checked charter's counts do not).
fn scaled(x: Decimal, new: Decimal, old: Decimal) -> Decimal {
    crate::num::scale(x, new, old, "split").unwrap_or(x)
}

/// The issuance that replaces `issuance` after the split: the count scaled
/// up, the price (a share's, or an option's exercise price) down.
fn reissued(issuance: &Value, (new, old): (Decimal, Decimal), date: &str, n: usize) -> Value {
    let mut again = issuance.clone();
    let figure = |key: &str| -> Option<Decimal> {
        let v = issuance.get(key)?;
        let text = v.get("amount").unwrap_or(v).as_str()?;
        text.parse().ok()
    };
    let kind = issuance
        .get("object_type")
        .and_then(Value::as_str)
        .unwrap_or("");
    let prefix = kind
        .trim_start_matches("TX_")
        .to_lowercase()
        .replace('_', "-");
    set(&mut again, "id", json!(format!("{prefix}-{n}-after-split")));
    set(
        &mut again,
        "security_id",
        json!(format!("security-{n}-after-split")),
    );
    set(
        &mut again,
        "custom_id",
        json!(format!("{prefix}-{n}-after-split")),
    );
    set(&mut again, "date", json!(date));
    if let Some(q) = figure("quantity") {
        set(&mut again, "quantity", numeric(scaled(q, new, old)));
    }
    for key in ["share_price", "exercise_price"] {
        if let Some(p) = figure(key) {
            set(&mut again, key, money(scaled(p, old, new)));
        }
    }
    // A warrant states what it converts to as a fixed count as well.
    if let Some(triggers) = again
        .get_mut("exercise_triggers")
        .and_then(Value::as_array_mut)
    {
        for t in triggers {
            let m = t.pointer_mut("/conversion_right/conversion_mechanism");
            if let Some(m) = m
                && let Some(q) = m
                    .get("converts_to_quantity")
                    .and_then(Value::as_str)
                    .and_then(|q| q.parse::<Decimal>().ok())
            {
                set(m, "converts_to_quantity", numeric(scaled(q, new, old)));
            }
        }
    }
    again
}

/// What closes `issuance` at the split: a stock reissuance naming the split
/// for shares; a cancellation of the whole grant for options and warrants
/// (OCF reissues only stock).
fn closing(
    issuance: &Value,
    split_id: &str,
    again: &Value,
    date: &str,
    n: usize,
    comment: &str,
) -> Option<Value> {
    let security = issuance.get("security_id")?.clone();
    let kind = issuance.get("object_type")?.as_str()?;
    let resulting = again.get("security_id")?.clone();
    Some(match kind {
        "TX_STOCK_ISSUANCE" => json!({
            "object_type": "TX_STOCK_REISSUANCE",
            "id": format!("stock-reissuance-{n}"),
            "date": date,
            "security_id": security,
            "resulting_security_ids": [resulting],
            "split_transaction_id": split_id,
            "comments": [comment],
        }),
        _ => json!({
            "object_type": kind.replace("_ISSUANCE", "_CANCELLATION"),
            "id": format!("cancellation-{n}"),
            "date": date,
            "security_id": security,
            "quantity": issuance.get("quantity")?.clone(),
            "reason_text": format!("granted again at the new count and exercise price after the split ({})", again.get("id")?.as_str()?),
            "comments": [comment],
        }),
    })
}
