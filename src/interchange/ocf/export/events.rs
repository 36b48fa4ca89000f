//! The transactions scenario events make: a conversion-ratio adjustment for
//! every conversion price an event moves (anti-dilution, a split's
//! proportional adjustment), and a split of common for every split or
//! combination.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::{Notes, class_id};
use crate::diagnostic::Problems;
use crate::ir::{Charter, Class};
use crate::query::Session;

/// What the events leave: their transactions, the date the last one leaves
/// the scenario at, and the charter as they leave it.
pub type After = (Vec<Value>, chrono::NaiveDate, std::sync::Arc<Charter>);

/// Runs `after` in order on `charter`; the transactions they make, and the
/// date and charter the last one leaves.
pub fn transactions(
    charter: &Charter,
    after: &[String],
    notes: &mut Notes,
    h: &mut super::holdings::Holdings,
) -> Result<After, Problems> {
    let mut session = Session::new(charter);
    let mut out = Vec::new();
    for (i, statement) in after.iter().enumerate() {
        let logged = session.scenario.log.len();
        let split = session.scenario.split;
        let before = std::sync::Arc::clone(&session.scenario.charter);
        session.run(&format!("--after {}", i.saturating_add(1)), statement)?;
        let scenario = &session.scenario;
        let date = scenario.date.format("%Y-%m-%d").to_string();
        if scenario.split == split {
            let pair = (&*before, &*scenario.charter);
            super::issues::changes(pair, statement, &date, h, notes, &mut out);
        } else {
            // Splits compose: new shares for old since the last statement.
            let (new, old) = (
                scenario.split.0.saturating_mul(split.1),
                scenario.split.1.saturating_mul(split.0),
            );
            super::splits::split(charter, (new, old), &date, statement, &mut h.open, &mut out);
        }
        // The last price each class reached in this statement.
        let mut moved: Vec<(usize, Decimal, chrono::NaiveDate, String)> = Vec::new();
        for a in scenario.log.iter().skip(logged) {
            match moved.iter_mut().find(|m| m.0 == a.class) {
                Some(m) => {
                    m.1 = a.after;
                    m.2 = a.date;
                }
                None => moved.push((a.class, a.after, a.date, a.kind.clone())),
            }
        }
        for (class, price, date, kind) in moved {
            let Some(c) = scenario.charter.classes.get(class) else {
                continue;
            };
            let issue = numerator(c, charter.classes.get(class), price);
            if price.normalize().scale() > 10 {
                notes.push(format!(
                    "{}: after `{statement}` its conversion price is {}, which does not end; OCF writes it to 10 decimal places",
                    c.name,
                    price.normalize()
                ));
            }
            let Some(mechanism) = super::classes::mechanism(charter, c, Some(price), issue, notes)
            else {
                continue;
            };
            out.push(json!({
                "object_type": "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT",
                "id": format!("conversion-ratio-adjustment-{}", out.len().saturating_add(1)),
                "date": date.format("%Y-%m-%d").to_string(),
                "stock_class_id": class_id(charter, class),
                "new_ratio_conversion_mechanism": mechanism,
                "comments": [format!("charter: {kind} after `{statement}`")],
            }));
        }
    }
    Ok((out, session.scenario.date, session.scenario.charter))
}

/// The ratio's numerator the engine converts by: the issue price over the
/// new conversion price gives the class's ratio now (`now`), where the
/// issue price is the one in force or the one the charter states (SCC's
/// ratio keeps § 4(a)'s fixed $10.05 while its Issue Price follows the
/// adjustment to $5.00: 10.05/5.00 = 2.01, not 5.00/5.00). `None` where
/// neither gives it: the mechanism then states the ratio itself.
fn numerator(now: &Class, stated: Option<&Class>, price: Decimal) -> Option<Decimal> {
    let ratio = now.ratio?;
    let candidates = [now.issue_price, stated.and_then(|c| c.issue_price)];
    candidates
        .into_iter()
        .flatten()
        .find(|ip| ip.checked_div(price) == Some(ratio))
        // A price that does not end (a 3:1 split of $0.44) divides to the
        // ratio only to 28 digits either way: the issue price in force.
        .or(now.issue_price)
}
