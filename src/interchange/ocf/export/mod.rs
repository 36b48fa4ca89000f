//! `charter export ocf`: a checked charter as an OCF package.
//!
//! The package holds the manifest, the stock classes (preference and
//! conversion terms as the charter states them), the stakeholders and
//! issuances of its capitalization, its option plans, and the transactions
//! scenario events make: every conversion price they move as a
//! `TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT`, every split as a
//! `TX_STOCK_CLASS_SPLIT`, each dated by its event. Terms OCF has no field
//! for are listed in [`Exported::notes`], never dropped silently.

mod carried;
mod classes;
mod convertibles;
mod events;
mod holdings;
mod issues;
mod splits;

use chrono::NaiveDate;
use md5::{Digest, Md5};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::diagnostic::{Kind, Problem, Problems};
use crate::ir::{Charter, ClassId};

/// What the export could not carry, each once.
#[derive(Debug, Default)]
pub struct Notes(pub Vec<String>);

impl Notes {
    /// Adds a note unless already there.
    pub fn push(&mut self, note: String) {
        if !self.0.contains(&note) {
            self.0.push(note);
        }
    }
}

/// An exported package: file names and their text.
#[derive(Debug)]
pub struct Exported {
    /// `(Manifest.ocf.json, text)`, ... with the manifest first.
    pub files: Vec<(String, String)>,
    /// Terms OCF could not carry.
    pub notes: Vec<String>,
}

/// The OCF version written: the one the official schemas (tests/ocf/official) require.
pub const OCF_VERSION: &str = "1.2.1-alpha+main";

/// A class's OCF id.
pub fn class_id(charter: &Charter, id: ClassId) -> String {
    charter
        .classes
        .get(id)
        .map_or_else(String::new, |c| format!("stock-class-{}", c.ident))
}

/// An OCF Numeric: at most ten decimal places, the schema's pattern. Every
/// figure a charter states fits; only a derived one (votes as converted
/// times a ratio that does not end) is rounded, half away from zero.
pub fn numeric(d: Decimal) -> Value {
    json!(ten_places(d))
}

/// An OCF Monetary in US dollars.
pub fn money(d: Decimal) -> Value {
    json!({"amount": ten_places(d), "currency": "USD"})
}

/// `d` as OCF writes it.
fn ten_places(d: Decimal) -> String {
    d.round_dp_with_strategy(10, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
        .to_string()
}

/// Sets a field of a JSON object.
pub fn set(o: &mut Value, key: &str, value: Value) {
    if let Some(map) = o.as_object_mut() {
        map.insert(key.to_string(), value);
    }
}

/// A problem the export meets.
fn refused(message: String, help: &str) -> Problems {
    vec![Problem::new(Kind::OcfExport(message), Default::default(), "").with_help(help)]
}

/// The filing date and the state code a charter's export needs, or why it
/// cannot be exported.
fn exportable(charter: &Charter) -> Result<(NaiveDate, &'static str), Problems> {
    let filed = charter.filed.ok_or_else(|| {
        refused(
            format!(
                "`{}` states no filing date, which dates its issuances in OCF",
                charter.company
            ),
            "add `filed YYYY-MM-DD` to the charter block",
        )
    })?;
    let state = charter
        .jurisdiction
        .as_deref()
        .and_then(super::states::code)
        .ok_or_else(|| {
            refused(
                format!(
                    "the jurisdiction `{}` is not a US state; OCF names the issuer's by ISO code",
                    charter.jurisdiction.as_deref().unwrap_or("(none)")
                ),
                "state the jurisdiction as a US state's name (`jurisdiction Delaware`)",
            )
        })?;
    Ok((filed, state))
}

/// Exports `charter` after the statements `after`; `formation` is the
/// issuer's formation date where known, `now` the generation time.
pub fn export(
    charter: &Charter,
    after: &[String],
    formation: Option<NaiveDate>,
    now: &str,
) -> Result<Exported, Problems> {
    let (filed, state) = exportable(charter)?;
    if let (Some((c, safe)), false) = (charter.any_instrument(), after.is_empty()) {
        return Err(refused(
            format!(
                "`{}` is {}, and events change what it converts into; exporting SAFEs and notes after events is not supported yet",
                c.name,
                safe.kind()
            ),
            "export the charter without `--after`, or record the events in the cap-table tool",
        ));
    }
    let mut notes = Notes::default();
    let date = filed.format("%Y-%m-%d").to_string();
    let carried = carried::carried(charter, after.is_empty());
    for what in &carried.unheld {
        notes.push(format!(
            "{what}: carried as the charter's own text in the package's comments, which `charter import ocf` reads back"
        ));
    }

    let mut h = holdings::holdings(charter, &date, &mut notes);
    let (events, as_of, now_charter) = events::transactions(charter, after, &mut notes, &mut h)?;
    let classes = classes::stock_classes((charter, &now_charter), &carried, &mut notes)?;
    let seniority = classes::seniorities(charter);
    let convertible = convertibles::issuances(charter, &seniority, &date, &mut h, &mut notes);
    let mut transactions = h.transactions;
    transactions.extend(convertible);
    transactions.extend(events);
    let mut manifest = manifest(charter, (formation, filed), as_of.max(filed), state, now);
    if let Some(comments) = manifest
        .pointer_mut("/issuer/comments")
        .and_then(Value::as_array_mut)
    {
        comments.extend(
            carried
                .issuer
                .iter()
                .map(|b| json!(format!("{}{b}", carried::MARK))),
        );
    }
    let objects = [
        (
            "StockClasses.ocf.json",
            "OCF_STOCK_CLASSES_FILE",
            "stock_classes_files",
            classes,
        ),
        (
            "Stakeholders.ocf.json",
            "OCF_STAKEHOLDERS_FILE",
            "stakeholders_files",
            h.stakeholders,
        ),
        (
            "StockPlans.ocf.json",
            "OCF_STOCK_PLANS_FILE",
            "stock_plans_files",
            h.plans,
        ),
        (
            "Transactions.ocf.json",
            "OCF_TRANSACTIONS_FILE",
            "transactions_files",
            transactions,
        ),
    ];
    let mut files = Vec::new();
    for (name, file_type, list, items) in objects {
        let text = pretty(&json!({"file_type": file_type, "items": items}));
        let digest = format!("{:x}", Md5::digest(text.as_bytes()));
        if let Some(l) = manifest.get_mut(list).and_then(Value::as_array_mut) {
            l.push(json!({"filepath": format!("./{name}"), "md5": digest}));
        }
        files.push((name.to_string(), text));
    }
    files.insert(0, ("Manifest.ocf.json".to_string(), pretty(&manifest)));
    Ok(Exported {
        files,
        notes: notes.0,
    })
}

/// The manifest, its file lists empty until the files are written.
fn manifest(
    charter: &Charter,
    (formation, filed): (Option<NaiveDate>, NaiveDate),
    as_of: NaiveDate,
    state: &str,
    now: &str,
) -> Value {
    let mut issuer_comments = Vec::new();
    let formation = formation.unwrap_or_else(|| {
        issuer_comments.push("formation_date: the charter's filing date; a charter does not state when the company was formed".to_string());
        filed
    });
    json!({
        "ocf_version": OCF_VERSION,
        "file_type": "OCF_MANIFEST_FILE",
        "issuer": {
            "object_type": "ISSUER",
            "id": "issuer",
            "legal_name": charter.company,
            "formation_date": formation.format("%Y-%m-%d").to_string(),
            "country_of_formation": "US",
            "country_subdivision_of_formation": state,
            "comments": issuer_comments,
        },
        "as_of": as_of.format("%Y-%m-%d").to_string(),
        "generated_at": now,
        "stock_plans_files": [],
        "stock_legend_templates_files": [],
        "stock_classes_files": [],
        "vesting_terms_files": [],
        "valuations_files": [],
        "transactions_files": [],
        "stakeholders_files": [],
        "comments": [exported_from(charter)],
    })
}

/// JSON as people read it, ending in a newline.
fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// The comment naming the charter exported: its file's name alone, never
/// the folders above it (a package is shared; where the file lay on the
/// exporter's machine is not its business).
pub(super) fn exported_from(charter: &Charter) -> String {
    let name = std::path::Path::new(&charter.source.name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("Exported by charter from {name}")
}
