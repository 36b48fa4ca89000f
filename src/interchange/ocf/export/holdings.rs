//! Stakeholders, stock issuances, stock plans, and option and warrant
//! issuances: the capitalization the charter file states, as of its filing.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::{Notes, class_id, money, numeric};
use crate::ir::Charter;

/// The objects of the capitalization: stakeholders, plans, transactions.
#[derive(Debug, Default)]
pub struct Holdings {
    /// `Stakeholder` objects.
    pub stakeholders: Vec<Value>,
    /// `StockPlan` objects.
    pub plans: Vec<Value>,
    /// Issuance transactions.
    pub transactions: Vec<Value>,
    /// Each open security's issuance, by class: what a split reissues.
    pub open: Vec<(usize, Value)>,
    /// Stakeholder ids by name, so that each is looked up in O(1).
    ids: std::collections::HashMap<String, String>,
}

impl Holdings {
    /// A stakeholder, once per name; its id.
    pub fn stakeholder(&mut self, name: &str, kind: &str) -> String {
        if let Some(id) = self.ids.get(name) {
            return id.clone();
        }
        let id = format!("stakeholder-{}", self.stakeholders.len().saturating_add(1));
        self.ids.insert(name.to_string(), id.clone());
        self.stakeholders.push(json!({
            "object_type": "STAKEHOLDER",
            "id": id,
            "name": {"legal_name": name},
            "stakeholder_type": kind,
        }));
        id
    }

    /// An issuance of class `class`, open until a split reissues it.
    fn push(&mut self, class: usize, issuance: Value) {
        self.open.push((class, issuance.clone()));
        self.transactions.push(issuance);
    }

    /// The next transaction's id and security id.
    fn next_ids(&self, prefix: &str) -> (String, String) {
        let n = self.transactions.len().saturating_add(1);
        (format!("{prefix}-{n}"), format!("security-{n}"))
    }
}

/// The charter's holders in the order it names them (which breaks a tie
/// of cents between them), then the rest of each class, and its pools.
/// Each issuance is dated when its class was first issued where the
/// charter says so, else at filing.
pub fn holdings(charter: &Charter, date: &str, notes: &mut Notes) -> Holdings {
    let mut h = Holdings::default();
    // OCF requires a share price on every issuance; a class with no issue
    // price (common, mostly) carries its par value, else $0.
    let prices: Vec<Decimal> = charter
        .classes
        .iter()
        .map(|class| {
            class.issue_price.or_else(|| {
                let par = class.par;
                notes.push(format!(
                    "{}: no issue price stated; its issuances carry {} as their share price, which OCF requires",
                    class.name,
                    par.map_or_else(|| "$0".to_string(), |p| format!("its par value {}", crate::num::exact_dollars(p)))
                ));
                par
            })
            .unwrap_or(Decimal::ZERO)
        })
        .collect();
    let mut named = vec![Decimal::ZERO; charter.classes.len()];
    let mut rows: Vec<(usize, String, Decimal)> = Vec::new();
    let stock = |id: usize| charter.classes.get(id).is_some_and(|c| c.safe.is_none());
    for holder in charter.holders.iter().filter(|x| stock(x.class)) {
        if let Some(n) = named.get_mut(holder.class) {
            *n = n.saturating_add(holder.shares);
        }
        rows.push((holder.class, holder.name.clone(), holder.shares));
    }
    for (id, class) in charter
        .classes
        .iter()
        .enumerate()
        .filter(|(id, _)| stock(*id))
    {
        let rest = class
            .outstanding
            .saturating_sub(named.get(id).copied().unwrap_or_default());
        if rest > Decimal::ZERO {
            rows.push((
                id,
                format!("Holders of {} not named in the charter", class.name),
                rest,
            ));
        }
    }
    for (id, name, shares) in rows {
        let Some(class) = charter.classes.get(id) else {
            continue;
        };
        let holder = h.stakeholder(&name, "INSTITUTION");
        let (tx, security) = h.next_ids("stock-issuance");
        let issued = class
            .issued
            .map_or_else(|| date.to_string(), |d| d.format("%Y-%m-%d").to_string());
        h.push(
            id,
            json!({
                "object_type": "TX_STOCK_ISSUANCE",
                "id": tx,
                "security_id": security,
                "date": issued,
                "custom_id": format!("{}-{}", class.ident, h.transactions.len().saturating_add(1)),
                "stakeholder_id": holder,
                "stock_class_id": class_id(charter, id),
                "share_price": money(prices.get(id).copied().unwrap_or_default()),
                "quantity": numeric(shares),
                "security_law_exemptions": [],
                "stock_legend_ids": [],
            }),
        );
    }
    pools(charter, date, &mut h, notes);
    h
}

/// Option pools as plans with one grant each; warrants as warrant issuances.
fn pools(charter: &Charter, date: &str, h: &mut Holdings, notes: &mut Notes) {
    for pool in &charter.pools {
        let warrants = pool.name.ends_with(" (warrants)");
        let name = pool
            .name
            .strip_suffix(if warrants {
                " (warrants)"
            } else {
                " (options)"
            })
            .unwrap_or(&pool.name)
            .to_string();
        if pool.vested != pool.count {
            notes.push(format!(
                "{name}: {} of {} vested; OCF records vesting in vesting terms, not exported",
                pool.vested, pool.count
            ));
        }
        let class = class_id(charter, pool.class);
        if warrants {
            let holder = h.stakeholder(&name, "INSTITUTION");
            let (tx, security) = h.next_ids("warrant-issuance");
            notes.push(format!("{name}: a warrant's purchase price is not a charter term; OCF requires one, written $0"));
            h.push(pool.class, json!({
                "object_type": "TX_WARRANT_ISSUANCE",
                "id": tx,
                "security_id": security,
                "date": date,
                "custom_id": tx,
                "stakeholder_id": holder,
                "quantity": numeric(pool.count),
                "exercise_price": money(pool.strike),
                "purchase_price": money(Decimal::ZERO),
                "exercise_triggers": [{
                    "type": "ELECTIVE_AT_WILL",
                    "trigger_id": "exercise",
                    "conversion_right": {
                        "type": "WARRANT_CONVERSION_RIGHT",
                        "conversion_mechanism": {"type": "FIXED_AMOUNT_CONVERSION", "converts_to_quantity": numeric(pool.count)},
                        "converts_to_stock_class_id": class,
                    },
                }],
                "security_law_exemptions": [],
            }));
        } else {
            let plan = format!("plan-{}", h.plans.len().saturating_add(1));
            h.plans.push(json!({
                "object_type": "STOCK_PLAN",
                "id": plan,
                "plan_name": name,
                "initial_shares_reserved": numeric(pool.count),
                "stock_class_ids": [class],
            }));
            let holder = h.stakeholder(&format!("Option holders under {name}"), "INDIVIDUAL");
            let (tx, security) = h.next_ids("option-issuance");
            h.push(
                pool.class,
                json!({
                    "object_type": "TX_EQUITY_COMPENSATION_ISSUANCE",
                    "id": tx,
                    "security_id": security,
                    "date": date,
                    "custom_id": tx,
                    "stakeholder_id": holder,
                    "stock_plan_id": plan,
                    "stock_class_id": class,
                    "compensation_type": "OPTION",
                    "quantity": numeric(pool.count),
                    "exercise_price": money(pool.strike),
                    "expiration_date": null,
                    "termination_exercise_windows": [],
                    "security_law_exemptions": [],
                }),
            );
        }
    }
}
