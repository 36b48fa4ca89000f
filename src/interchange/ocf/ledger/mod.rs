//! From OCF objects to a cap table: the shares of each class held by each
//! stakeholder, the options and warrants outstanding, and the splits,
//! conversion-ratio and authorized-share adjustments recorded.
//!
//! Each issuance counts what the actions on its security leave of it
//! ([`positions`]): the issued quantity less what cancellations,
//! repurchases, transfers, exercises and conversions took, unless the rest
//! was reissued as a new security, which then counts it. O(n log n) for n
//! transactions, with hash lookups.

use std::collections::{BTreeMap, HashMap};

use indexmap::IndexMap;
use rust_decimal::Decimal;

mod grants;
mod positions;

use super::kinds::{BUILDING, CLOSING};
use super::model::{Mechanism, Monetary, StockClass, StockPlan, Tx, parse_numeric};
use super::package::{Located, Package};

/// A class as the package leaves it.
#[derive(Debug, Clone)]
pub struct ClassTerms {
    /// The OCF stock class.
    pub class: Located<StockClass>,
    /// Shares outstanding, from the open issuances.
    pub outstanding: Decimal,
    /// The issuances counted.
    pub issuances: Vec<String>,
    /// Authorized shares and where the figure comes from; `None` when OCF
    /// says `UNLIMITED` or `NOT APPLICABLE`.
    pub authorized: Option<(Decimal, String)>,
    /// The date of the authorized-shares adjustment that set it, if any.
    pub authorized_date: String,
    /// Splits of the class, by date: date, new, old, transaction id.
    pub splits: Vec<(String, Decimal, Decimal, String)>,
    /// The latest conversion-ratio adjustment: date, mechanism, id.
    pub adjustment: Option<(String, Mechanism, String)>,
}

/// A stakeholder's shares of one class.
#[derive(Debug, Clone)]
pub struct Holding {
    /// The stakeholder's legal name.
    pub name: String,
    /// Index into [`Ledger::classes`].
    pub class: usize,
    /// Shares.
    pub shares: Decimal,
    /// The issuances counted.
    pub issuances: Vec<String>,
}

/// Options or warrants at one exercise price.
#[derive(Debug, Clone)]
pub struct PoolRow {
    /// Warrants rather than options.
    pub warrants: bool,
    /// The plan's name, or the warrant holder's.
    pub name: String,
    /// Index into [`Ledger::classes`].
    pub class: usize,
    /// Exercise price.
    pub strike: Decimal,
    /// Shares.
    pub count: Decimal,
    /// The issuances counted.
    pub issuances: Vec<String>,
}

/// A SAFE or note outstanding, as its convertible issuance states it.
#[derive(Debug, Clone)]
pub struct Convertible {
    /// A convertible note (else a SAFE).
    pub note: bool,
    /// The issuance's id.
    pub id: String,
    /// Its holder's name, where the package defines the holder.
    pub holder: Option<String>,
    /// The Purchase Amount.
    pub amount: Decimal,
    /// Its conversion mechanism.
    pub mechanism: super::model::ConvertibleMechanism,
    /// Pro rata rights recorded.
    pub pro_rata: bool,
    /// The issuance's date.
    pub date: Option<String>,
}

/// The cap table the package records, with what it could not place.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// Classes in file order.
    pub classes: Vec<ClassTerms>,
    /// Holdings in order of first issuance, by holder and class (a map, so
    /// that adding an issuance is O(1) however many holders there are).
    pub holdings: IndexMap<(String, usize), Holding>,
    /// Option and warrant pools in order of first issuance, by kind, name,
    /// class and exercise price.
    pub pools: IndexMap<(bool, String, usize, Decimal), PoolRow>,
    /// Objects the import could not place, each naming file, object and
    /// field: written as `todo` lines.
    pub gaps: Vec<String>,
    /// Objects read without bearing on the charter, by type.
    pub unread: BTreeMap<String, usize>,
    /// Whether the package has a transactions file (else no share counts).
    pub has_transactions: bool,
    /// SAFEs and notes outstanding, in order of issuance.
    pub convertibles: Vec<Convertible>,
}

/// `file: OBJECT id, field `f``: how a gap names its object.
fn at(t: &Located<Tx>, field: &str) -> String {
    format!(
        "{}: {} {}, field `{field}`",
        t.file, t.item.object_type, t.item.id
    )
}

/// A dollar amount, or a gap's words for why not.
pub fn dollars(m: &Monetary) -> Result<Decimal, String> {
    if m.currency == "USD" {
        Ok(m.amount.0)
    } else {
        Err(format!(
            "is in {}; a charter computes in US dollars",
            m.currency
        ))
    }
}

/// Builds the cap table from the package.
pub fn build(package: &Package) -> Ledger {
    let mut ledger = Ledger {
        has_transactions: package
            .file_types
            .iter()
            .any(|t| t == "OCF_TRANSACTIONS_FILE"),
        gaps: package.gaps.clone(),
        ..Ledger::default()
    };
    for c in &package.classes {
        let authorized = match authorized_of(c.item.initial_shares_authorized.as_ref()) {
            Ok(n) => n.map(|d| {
                (
                    d,
                    format!("STOCK_CLASS {}: initial_shares_authorized", c.item.id),
                )
            }),
            Err(text) => {
                ledger.gaps.push(format!(
                    "{}: STOCK_CLASS {}, field `initial_shares_authorized`: `{text}` is neither a number of shares nor UNLIMITED or NOT APPLICABLE; add `authorized N` to the class if the charter states it",
                    c.file, c.item.id
                ));
                None
            }
        };
        ledger.classes.push(ClassTerms {
            class: c.clone(),
            outstanding: Decimal::ZERO,
            issuances: Vec::new(),
            authorized,
            authorized_date: String::new(),
            splits: Vec::new(),
            adjustment: None,
        });
    }
    let class_of: HashMap<&str, usize> = package
        .classes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.item.id.as_str(), i))
        .collect();
    let names: HashMap<&str, &str> = package
        .stakeholders
        .iter()
        .map(|s| (s.item.id.as_str(), s.item.name.legal_name.as_str()))
        .collect();
    let positions = positions::Positions::replay(&package.transactions, &mut ledger.gaps);
    let repriced = repricings(package);
    let tables = Tables {
        class_of,
        names,
        plans: package
            .plans
            .iter()
            .map(|p| (p.item.id.as_str(), p))
            .collect(),
        repriced,
        positions,
    };
    for t in &package.transactions {
        let kind = t.item.object_type.as_str();
        let open = tables.positions.outstanding(&t.item).is_some();
        match kind {
            "TX_STOCK_ISSUANCE" if open => stock_issuance(&mut ledger, &tables, t),
            "TX_EQUITY_COMPENSATION_ISSUANCE" | "TX_PLAN_SECURITY_ISSUANCE" if open => {
                grants::option_issuance(&mut ledger, &tables, t)
            }
            "TX_WARRANT_ISSUANCE" if open => grants::warrant_issuance(&mut ledger, &tables, t),
            "TX_CONVERTIBLE_ISSUANCE" if open => convertible(&mut ledger, &tables, t),
            "TX_STOCK_CLASS_SPLIT"
            | "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT"
            | "TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT" => {
                class_change(&mut ledger, &tables, t)
            }
            _ if BUILDING.contains(&kind) || CLOSING.contains(&kind) => {}
            _ => {
                let n = ledger.unread.entry(kind.to_string()).or_insert(0);
                *n = n.saturating_add(1);
            }
        }
    }
    for c in &mut ledger.classes {
        c.splits.sort_by(|a, b| a.0.cmp(&b.0));
    }
    ledger
}

/// Lookups shared by the transaction readers.
pub struct Tables<'a> {
    /// Class index by OCF id.
    pub class_of: HashMap<&'a str, usize>,
    /// Stakeholder name by OCF id.
    pub names: HashMap<&'a str, &'a str>,
    /// Stock plans by OCF id.
    pub plans: HashMap<&'a str, &'a Located<StockPlan>>,
    /// The latest new exercise price by security id, with its date.
    pub repriced: HashMap<&'a str, (&'a str, &'a Monetary)>,
    /// What the actions leave of each security.
    pub positions: positions::Positions<'a>,
}

impl Tables<'_> {
    /// The class a transaction names, or a gap.
    pub fn class(&self, t: &Located<Tx>, id: Option<&str>, field: &str) -> Result<usize, String> {
        match id {
            None => Err(format!("{}: missing", at(t, field))),
            Some(id) => self.class_of.get(id).copied().ok_or_else(|| {
                format!(
                    "{}: names stock class `{id}`, which the package does not define",
                    at(t, field)
                )
            }),
        }
    }

    /// The holder a transaction names, or a gap.
    pub fn holder(&self, t: &Located<Tx>) -> Result<String, String> {
        let id = t.item.stakeholder_id.as_deref();
        match id.and_then(|id| self.names.get(id)) {
            Some(n) => Ok((*n).to_string()),
            None => Err(format!(
                "{}: names stakeholder `{}`, which the package does not define",
                at(t, "stakeholder_id"),
                id.unwrap_or("")
            )),
        }
    }

    /// The quantity of an issuance still outstanding, or a gap.
    pub fn quantity(&self, t: &Located<Tx>) -> Result<Decimal, String> {
        match t.item.quantity {
            Some(q) if q.0 > Decimal::ZERO => {
                Ok(self.positions.outstanding(&t.item).flatten().unwrap_or(q.0))
            }
            Some(q) => Err(format!(
                "{}: {} is not a number of shares above zero",
                at(t, "quantity"),
                q.0
            )),
            None => Err(format!(
                "{}: missing, so the shares are unknown",
                at(t, "quantity")
            )),
        }
    }
}

/// The latest repricing of each security.
fn repricings(package: &Package) -> HashMap<&str, (&str, &Monetary)> {
    let mut out: HashMap<&str, (&str, &Monetary)> = HashMap::new();
    for t in &package.transactions {
        if t.item.object_type != "TX_EQUITY_COMPENSATION_REPRICING" {
            continue;
        }
        let (Some(security), Some(price)) = (&t.item.security_id, &t.item.new_exercise_price)
        else {
            continue;
        };
        let date = t.item.date.as_deref().unwrap_or("");
        let later = out.get(security.as_str()).is_none_or(|(d, _)| *d <= date);
        if later {
            out.insert(security, (date, price));
        }
    }
    out
}

/// Adds an open stock issuance to its class and holder.
fn stock_issuance(ledger: &mut Ledger, tables: &Tables, t: &Located<Tx>) {
    let placed = tables
        .class(t, t.item.stock_class_id.as_deref(), "stock_class_id")
        .and_then(|c| Ok((c, tables.holder(t)?, tables.quantity(t)?)));
    let (class, name, shares) = match placed {
        Ok(p) => p,
        Err(gap) => {
            let shares = t.item.quantity.map(|q| q.0).unwrap_or_default();
            ledger.gaps.push(format!(
                "{gap}; its {} shares are not counted",
                crate::num::shares(shares)
            ));
            return;
        }
    };
    let Some(row) = ledger.classes.get_mut(class) else {
        return;
    };
    row.outstanding = row.outstanding.saturating_add(shares);
    row.issuances.push(t.item.id.clone());
    let h = ledger
        .holdings
        .entry((name.clone(), class))
        .or_insert_with(|| Holding {
            name,
            class,
            shares: Decimal::ZERO,
            issuances: Vec::new(),
        });
    h.shares = h.shares.saturating_add(shares);
    h.issuances.push(t.item.id.clone());
}

/// An open convertible: a SAFE with its SAFE mechanism, or a note with
/// its note mechanism, is read as one; any other is a gap.
fn convertible(ledger: &mut Ledger, tables: &Tables, t: &Located<Tx>) {
    let kind = t.item.convertible_type.as_deref().unwrap_or("");
    let wanted = match kind {
        "SAFE" => "SAFE_CONVERSION",
        "NOTE" => "CONVERTIBLE_NOTE_CONVERSION",
        other => {
            ledger.gaps.push(format!(
                "{}: a convertible ({}) outstanding, which the import does not read — write it as the instrument states, or remove this line if it has converted",
                at(t, "convertible_type"),
                if other.is_empty() { "of no stated type" } else { other }
            ));
            return;
        }
    };
    let mechanism = t
        .item
        .conversion_triggers
        .iter()
        .filter_map(|tr| tr.conversion_right.as_ref()?.conversion_mechanism.clone())
        .find(|m| m.kind == wanted);
    let amount = t.item.investment_amount.as_ref().map(dollars);
    match (mechanism, amount) {
        (Some(mechanism), Some(Ok(amount))) if amount > Decimal::ZERO => {
            let holder = match tables.holder(t) {
                Ok(h) => Some(h),
                Err(gap) => {
                    ledger
                        .gaps
                        .push(format!("{gap}; the {kind} is written without a holder"));
                    None
                }
            };
            ledger.convertibles.push(Convertible {
                note: kind == "NOTE",
                id: t.item.id.clone(),
                holder,
                amount,
                mechanism,
                pro_rata: t.item.pro_rata.is_some(),
                date: t.item.date.clone(),
            });
        }
        (_, Some(Err(why))) => ledger.gaps.push(format!(
            "{}: {why}; the {kind} is not counted",
            at(t, "investment_amount")
        )),
        _ => ledger.gaps.push(format!(
            "{}: a {kind} without a {wanted} mechanism or an amount above zero; write it as the instrument states",
            at(t, "conversion_triggers")
        )),
    }
}

/// A split, conversion-ratio or authorized-shares adjustment of a class.
fn class_change(ledger: &mut Ledger, tables: &Tables, t: &Located<Tx>) {
    let class = match tables.class(t, t.item.stock_class_id.as_deref(), "stock_class_id") {
        Ok(c) => c,
        Err(gap) => {
            ledger
                .gaps
                .push(format!("{gap}; the change is not applied"));
            return;
        }
    };
    let date = t.item.date.clone().unwrap_or_default();
    let Some(row) = ledger.classes.get_mut(class) else {
        return;
    };
    match t.item.object_type.as_str() {
        "TX_STOCK_CLASS_SPLIT" => match &t.item.split_ratio {
            Some(r) if r.numerator.0 > Decimal::ZERO && r.denominator.0 > Decimal::ZERO => row
                .splits
                .push((date, r.numerator.0, r.denominator.0, t.item.id.clone())),
            _ => ledger.gaps.push(format!(
                "{}: missing or not above zero; the split is not applied",
                at(t, "split_ratio")
            )),
        },
        "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT" => {
            match &t.item.new_ratio_conversion_mechanism {
                Some(m) => {
                    let later = row.adjustment.as_ref().is_none_or(|(d, _, _)| *d <= date);
                    if later {
                        row.adjustment = Some((date, m.clone(), t.item.id.clone()));
                    }
                }
                None => ledger.gaps.push(format!(
                    "{}: missing",
                    at(t, "new_ratio_conversion_mechanism")
                )),
            }
        }
        _ => {
            let value = t.item.new_shares_authorized.as_ref();
            // The latest adjustment stands (by date; the later in the file
            // on the same date).
            if row.authorized_date.as_str() > date.as_str() {
                return;
            }
            match authorized_of(value) {
                Ok(n) => {
                    row.authorized_date = date;
                    row.authorized = n.map(|n| {
                        (
                            n,
                            format!(
                                "{} {}: new_shares_authorized",
                                t.item.object_type, t.item.id
                            ),
                        )
                    });
                }
                Err(text) => ledger.gaps.push(format!(
                    "{}: `{text}` is not a number of shares; the adjustment is not applied",
                    at(t, "new_shares_authorized")
                )),
            }
        }
    }
}

/// An authorized count: `Some` for a number, `None` for `UNLIMITED`, `NOT
/// APPLICABLE` or no figure; the text itself when it is none of those.
fn authorized_of(value: Option<&serde_json::Value>) -> Result<Option<Decimal>, String> {
    match value {
        None => Ok(None),
        Some(v) => match v.as_str() {
            Some("UNLIMITED" | "NOT APPLICABLE") => Ok(None),
            Some(t) => parse_numeric(t).map(Some).ok_or_else(|| t.to_string()),
            None => Err(v.to_string()),
        },
    }
}
