//! Reading an OCF package: a manifest and the files it names, a folder
//! holding one manifest, or a single file of any `file_type`.
//!
//! Each file is read as JSON, then each item into its typed structure
//! ([`super::model`]); anything malformed stops the import with a diagnostic
//! that names the file, the object and the field, pointing at the object in
//! the file.

use std::path::{Path, PathBuf};

mod files;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::model::{Figures, Manifest, Stakeholder, StockClass, StockPlan, Tx};
use crate::diagnostic::{Kind, Problem, Problems, Source, Span};

/// An object read from a file, with where it was read.
#[derive(Debug, Clone)]
pub struct Located<T> {
    /// The object.
    pub item: T,
    /// The file's name as the manifest or the command line gives it.
    pub file: String,
}

/// Everything the import reads from a package.
#[derive(Debug, Clone, Default)]
pub struct Package {
    /// The path given, as shown to the user.
    pub origin: String,
    /// The manifest, when the package has one.
    pub manifest: Option<Manifest>,
    /// Stock classes, in file order.
    pub classes: Vec<Located<StockClass>>,
    /// Stakeholders.
    pub stakeholders: Vec<Located<Stakeholder>>,
    /// Stock plans.
    pub plans: Vec<Located<StockPlan>>,
    /// Transactions, in file order.
    pub transactions: Vec<Located<Tx>>,
    /// Which kinds of file were read (`OCF_TRANSACTIONS_FILE`, ...).
    pub file_types: Vec<String>,
    /// What the import reports but does not refuse (a checksum that does
    /// not match): written as `todo` lines with the ledger's gaps.
    pub gaps: Vec<String>,
    /// Where each object id was first read, by kind of object: a second
    /// object with the same id is refused.
    seen: std::collections::HashMap<(&'static str, String), String>,
}

/// Reads the package at `path`: a manifest and the files it lists, a
/// folder holding one manifest (or, without one, OCF files that each say
/// their `file_type`), or a single OCF file.
pub fn read(path: &Path) -> Result<Package, Problems> {
    if path.is_dir() {
        return match manifest_in(path)? {
            Some(manifest) => read_file(&manifest),
            None => files::loose(path),
        };
    }
    read_file(path)
}

/// Reads one file: a manifest and what it lists, or the objects of one
/// file.
fn read_file(path: &Path) -> Result<Package, Problems> {
    let mut package = Package {
        origin: path.display().to_string(),
        ..Package::default()
    };
    let (source, value) = json_file(path, &path.display().to_string())?;
    let kind = file_type(&source, &value)?;
    if kind == files::MANIFEST {
        files::manifest(&mut package, path, &source, &value)?;
    } else {
        add_items(&mut package, &source, &value, &kind)?;
    }
    Ok(package)
}

/// The one manifest in a folder; `None` where it holds none.
fn manifest_in(dir: &Path) -> Result<Option<PathBuf>, Problems> {
    let found: Vec<PathBuf> = files::json_in(dir)?
        .into_iter()
        .filter(|p| {
            crate::input::read_within(p, crate::input::MAX_OCF_FILE, "an OCF file")
                .ok()
                .and_then(|t| serde_json::from_str::<Value>(without_bom(&t)).ok())
                .is_some_and(|v| {
                    v.get("file_type").and_then(Value::as_str) == Some(files::MANIFEST)
                })
        })
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one_path] => Ok(Some(one_path.clone())),
        many => Err(one(
            Kind::OcfInput {
                file: dir.display().to_string(),
                object: "the folder".to_string(),
                message: format!("holds {} OCF manifests", many.len()),
            },
            "give the manifest file to read",
        )),
    }
}

/// The text without a leading byte-order mark, which JSON does not have
/// but some editors write: read as if it were not there.
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// A problem with no source text to point into.
pub(super) fn one(kind: Kind, help: &str) -> Problems {
    vec![Problem::new(kind, Span::default(), "").with_help(help)]
}

/// Reads a file as JSON, with a diagnostic at the fault if it is not.
pub(super) fn json_file(path: &Path, name: &str) -> Result<(Source, Value), Problems> {
    let text = crate::input::read_within(path, crate::input::MAX_OCF_FILE, "an OCF file")?;
    let source = Source::new(name.to_string(), text);
    let json = without_bom(&source.text);
    let bom = source.text.len().saturating_sub(json.len());
    match serde_json::from_str::<Value>(json) {
        Ok(v) => Ok((source, v)),
        Err(e) => {
            let at = offset(json, e.line(), e.column()).saturating_add(bom);
            Err(vec![
                Problem::new(
                    Kind::OcfInput {
                        file: name.to_string(),
                        object: "the file".to_string(),
                        message: format!("not JSON: {e}"),
                    },
                    Span::new(at, at),
                    "here",
                )
                .with_help("an OCF file is a JSON object; check the file was saved whole")
                .with_source(&source),
            ])
        }
    }
}

/// The byte offset of a 1-based line and column.
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    start
        .saturating_add(column.saturating_sub(1))
        .min(text.len())
}

/// The file's `file_type`.
pub(super) fn file_type(source: &Source, value: &Value) -> Result<String, Problems> {
    match value.get("file_type").and_then(Value::as_str) {
        Some(t) => Ok(t.to_string()),
        None => Err(invalid(
            source,
            "the file",
            "has no `file_type`",
            None,
            "an OCF file starts with `\"file_type\": \"OCF_...\"`",
        )),
    }
}

/// A malformed object, pointed at in its file: at `field` where it can be
/// found after the object's id, else at the id.
pub(super) fn invalid(
    source: &Source,
    object: &str,
    message: &str,
    at: Option<(&str, &str)>,
    help: &str,
) -> Problems {
    let span = at
        .and_then(|(id, field)| {
            let quoted = format!("\"{id}\"");
            let start = source.text.find(&quoted)?;
            let id_span = Span::new(start, start.saturating_add(quoted.len()));
            let key = format!("\"{field}\"");
            let after = source.text.get(start..)?;
            Some(match after.find(&key) {
                Some(k) if !field.is_empty() => {
                    let from = start.saturating_add(k);
                    Span::new(from, from.saturating_add(key.len()))
                }
                _ => id_span,
            })
        })
        .unwrap_or_default();
    let label = match at {
        Some((_, f)) if !f.is_empty() => "this field",
        _ => "this object",
    };
    vec![
        Problem::new(
            Kind::OcfInput {
                file: source.name.clone(),
                object: object.to_string(),
                message: message.to_string(),
            },
            span,
            label,
        )
        .with_help(help)
        .with_source(source),
    ]
}

/// Reads an object into its typed structure, refusing a negative figure;
/// the error names the field.
fn checked<T: DeserializeOwned + Figures>(
    source: &Source,
    value: &Value,
    object: &str,
) -> Result<T, Problems> {
    let item: T = typed(source, value, object)?;
    match item.negative() {
        None => Ok(item),
        Some((field, v)) => {
            let id = value.get("id").and_then(Value::as_str);
            let top = field.split(['.', '[']).next().unwrap_or("");
            Err(invalid(
                source,
                object,
                &format!("field `{field}`: {v} is below zero"),
                id.map(|id| (id, top)),
                "no share count, price, multiple or vote can be negative; correct the figure",
            ))
        }
    }
}

/// Reads a value into a typed structure; the error names the field.
pub(super) fn typed<T: DeserializeOwned>(
    source: &Source,
    value: &Value,
    object: &str,
) -> Result<T, Problems> {
    let id = value.get("id").and_then(Value::as_str);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let field = e.path().to_string();
        let message = format!("field `{field}`: {}", e.inner());
        // The object's own field that holds the fault: `conversion_rights`
        // of `conversion_rights[0].ratio`.
        let top = field.split(['.', '[']).next().unwrap_or("");
        invalid(
            source,
            object,
            &message,
            id.map(|id| (id, top)),
            "correct the field as the OCF schema for this object describes it",
        )
    })
}

/// Reads the items of one file into the package.
pub(super) fn add_items(
    package: &mut Package,
    source: &Source,
    value: &Value,
    file_type: &str,
) -> Result<(), Problems> {
    let items = match value.get("items").and_then(Value::as_array) {
        Some(items) => items,
        None => {
            return Err(invalid(
                source,
                "the file",
                &format!("a {file_type} has no `items` list"),
                None,
                "an OCF object file holds its objects in `items`",
            ));
        }
    };
    if !files::KNOWN.contains(&file_type) {
        return Err(invalid(
            source,
            "the file",
            &format!("`file_type` `{file_type}` is not an OCF file type"),
            Some((file_type, "")),
            &files::did_you_mean(file_type),
        ));
    }
    package.file_types.push(file_type.to_string());
    for (i, item) in items.iter().enumerate() {
        let object = describe(item, i);
        let file = source.name.clone();
        if let Some(kind) = files::collection(file_type) {
            files::first_of_id(package, source, item, kind, &object)?;
        }
        match file_type {
            "OCF_STOCK_CLASSES_FILE" => package.classes.push(Located {
                item: checked(source, item, &object)?,
                file,
            }),
            "OCF_STAKEHOLDERS_FILE" => package.stakeholders.push(Located {
                item: checked(source, item, &object)?,
                file,
            }),
            "OCF_STOCK_PLANS_FILE" => package.plans.push(Located {
                item: checked(source, item, &object)?,
                file,
            }),
            "OCF_TRANSACTIONS_FILE" => {
                let tx: Tx = checked(source, item, &object)?;
                if let Some(date) = tx.date.as_deref().filter(|d| !files::is_date(d)) {
                    return Err(invalid(
                        source,
                        &object,
                        &format!("field `date`: `{date}` is not a date"),
                        Some((&tx.id, "date")),
                        "write the date as YYYY-MM-DD, a day that exists",
                    ));
                }
                if !super::kinds::known(&tx.object_type) {
                    return Err(invalid(
                        source,
                        &object,
                        &format!(
                            "field `object_type`: `{}` is not a transaction this import knows",
                            tx.object_type
                        ),
                        Some((&tx.id, "object_type")),
                        "the import reads OCF 1.2 transactions; remove the object or write it as one of those",
                    ));
                }
                package.transactions.push(Located { item: tx, file });
            }
            // Files without bearing on a charter's economics: legends,
            // vesting terms, valuations, financings, documents (the
            // manifest is read apart).
            _ => {}
        }
    }
    Ok(())
}

/// `STOCK_CLASS 8d83...`, or `items[3]` for an object without an id.
fn describe(item: &Value, index: usize) -> String {
    let kind = item.get("object_type").and_then(Value::as_str);
    let id = item.get("id").and_then(Value::as_str);
    let id = id.map(crate::diagnostic::printable);
    match (kind, id) {
        (Some(k), Some(id)) => format!("{k} {id}"),
        (Some(k), None) => format!("{k} at items[{index}]"),
        _ => format!("items[{index}]"),
    }
}
