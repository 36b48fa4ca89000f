//! Shares an event issues or takes (an issue, a conversion, a redemption),
//! as OCF transactions: a stock issuance of what a class gained, to a
//! stakeholder named for the statement, and cancellations of what it lost,
//! taken from its open securities latest first (so from the shares the
//! charter names no holder of before the named holders'). What options and
//! warrants an event moves is a note: the package keeps the pools as filed.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::holdings::Holdings;
use super::{Notes, class_id, money, numeric};
use crate::ir::Charter;
use crate::syntax::ast::Query;

/// The transactions for what `statement` changed between `before` and
/// `after` (a split's counts excepted: [`super::splits`] reissues them).
pub fn changes(
    (before, after): (&Charter, &Charter),
    statement: &str,
    date: &str,
    h: &mut Holdings,
    notes: &mut Notes,
    out: &mut Vec<Value>,
) {
    let price_of = |id: usize| -> Decimal {
        match crate::syntax::parse::parse_query(statement) {
            Ok(Query::Issue { class, price, .. })
                if after
                    .classes
                    .get(id)
                    .is_some_and(|c| c.ident == class.node || c.name == class.node) =>
            {
                price.node
            }
            _ => after
                .classes
                .get(id)
                .and_then(|c| c.issue_price.or(c.par))
                .unwrap_or_default(),
        }
    };
    for (id, (was, now)) in before.classes.iter().zip(&after.classes).enumerate() {
        let change = now.outstanding.saturating_sub(was.outstanding);
        if change > Decimal::ZERO {
            let holder = h.stakeholder(
                &format!("Holders of the shares issued by `{statement}`"),
                "INSTITUTION",
            );
            let n = out.len().saturating_add(1);
            let issuance = json!({
                "object_type": "TX_STOCK_ISSUANCE",
                "id": format!("stock-issuance-event-{n}"),
                "security_id": format!("security-event-{n}"),
                "date": date,
                "custom_id": format!("{}-event-{n}", now.ident),
                "stakeholder_id": holder,
                "stock_class_id": class_id(after, id),
                "share_price": money(price_of(id)),
                "quantity": numeric(change),
                "security_law_exemptions": [],
                "stock_legend_ids": [],
                "comments": [format!("charter: {statement}")],
            });
            h.open.push((id, issuance.clone()));
            out.push(issuance);
        } else if change < Decimal::ZERO {
            take(id, change.abs(), statement, date, h, out);
        }
    }
    let counts = |c: &Charter| -> Vec<(String, Decimal)> {
        c.pools.iter().map(|p| (p.name.clone(), p.count)).collect()
    };
    if counts(before) != counts(after) && !statement.trim_start().starts_with("split") {
        notes.push(format!(
            "`{statement}` changes options or warrants; OCF's pools are written as the charter states them before it"
        ));
    }
}

/// Cancels `shares` of class `id` from its open securities, latest first.
fn take(
    id: usize,
    shares: Decimal,
    statement: &str,
    date: &str,
    h: &mut Holdings,
    out: &mut Vec<Value>,
) {
    let mut left = shares;
    for (class, issuance) in h.open.iter_mut().rev() {
        if *class != id || left.is_zero() {
            continue;
        }
        if issuance.get("object_type").and_then(Value::as_str) != Some("TX_STOCK_ISSUANCE") {
            continue;
        }
        let held: Decimal = issuance
            .get("quantity")
            .and_then(Value::as_str)
            .and_then(|q| q.parse().ok())
            .unwrap_or_default();
        let taken = held.min(left);
        if taken.is_zero() {
            continue;
        }
        let n = out.len().saturating_add(1);
        out.push(json!({
            "object_type": "TX_STOCK_CANCELLATION",
            "id": format!("stock-cancellation-{n}"),
            "date": date,
            "security_id": issuance.get("security_id").cloned().unwrap_or(Value::Null),
            "quantity": numeric(taken),
            "reason_text": format!("charter: {statement}"),
        }));
        super::set(issuance, "quantity", numeric(held.saturating_sub(taken)));
        left = left.saturating_sub(taken);
    }
    h.open
        .retain(|(_, i)| i.get("quantity").and_then(Value::as_str) != Some("0"));
}
