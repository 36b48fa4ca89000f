//! Reading an OCF package: a manifest and the files it names, a folder
//! holding one manifest, or a single file of any `file_type`.
//!
//! Each file is read as JSON, then each item into its typed structure
//! ([`super::model`]); anything malformed stops the import with a diagnostic
//! that names the file, the object and the field, pointing at the object in
//! the file.

use std::path::{Path, PathBuf};

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
}

/// Reads the package at `path`.
pub fn read(path: &Path) -> Result<Package, Problems> {
    let path = if path.is_dir() {
        manifest_in(path)?
    } else {
        path.to_path_buf()
    };
    let mut package = Package {
        origin: path.display().to_string(),
        ..Package::default()
    };
    let (source, value) = json_file(&path, &path.display().to_string())?;
    let kind = file_type(&source, &value)?;
    if kind == "OCF_MANIFEST_FILE" {
        let manifest: Manifest = typed(&source, &value, "the manifest")?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let lists = [
            &manifest.stock_classes_files,
            &manifest.stakeholders_files,
            &manifest.stock_plans_files,
            &manifest.transactions_files,
        ];
        for list in lists {
            for f in list {
                let (source, value) = json_file(&dir.join(&f.filepath), &f.filepath)?;
                let kind = file_type(&source, &value)?;
                add_items(&mut package, &source, &value, &kind)?;
            }
        }
        package.manifest = Some(manifest);
    } else {
        add_items(&mut package, &source, &value, &kind)?;
    }
    Ok(package)
}

/// The one manifest in a folder.
fn manifest_in(dir: &Path) -> Result<PathBuf, Problems> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        one(
            Kind::Unreadable {
                path: dir.display().to_string(),
                reason: crate::diagnostic::io_reason(&e),
            },
            "give the package's manifest file, or a folder that holds it",
        )
    })?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json")
                && crate::input::read_within(p, crate::input::MAX_OCF_FILE, "an OCF file")
                    .ok()
                    .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                    .is_some_and(|v| {
                        v.get("file_type").and_then(Value::as_str) == Some("OCF_MANIFEST_FILE")
                    })
        })
        .collect();
    found.sort();
    match found.as_slice() {
        [one_path] => Ok(one_path.clone()),
        [] => Err(one(
            Kind::OcfInput {
                file: dir.display().to_string(),
                object: "the folder".to_string(),
                message: "holds no OCF manifest (a .json file with `file_type` OCF_MANIFEST_FILE)"
                    .to_string(),
            },
            "give the manifest file, or a single OCF file, instead of the folder",
        )),
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

/// A problem with no source text to point into.
fn one(kind: Kind, help: &str) -> Problems {
    vec![Problem::new(kind, Span::default(), "").with_help(help)]
}

/// Reads a file as JSON, with a diagnostic at the fault if it is not.
fn json_file(path: &Path, name: &str) -> Result<(Source, Value), Problems> {
    let text = crate::input::read_within(path, crate::input::MAX_OCF_FILE, "an OCF file")?;
    let source = Source::new(name.to_string(), text);
    match serde_json::from_str::<Value>(&source.text) {
        Ok(v) => Ok((source, v)),
        Err(e) => {
            let at = offset(&source.text, e.line(), e.column());
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
fn file_type(source: &Source, value: &Value) -> Result<String, Problems> {
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
fn invalid(
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
fn typed<T: DeserializeOwned>(source: &Source, value: &Value, object: &str) -> Result<T, Problems> {
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
fn add_items(
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
    package.file_types.push(file_type.to_string());
    for (i, item) in items.iter().enumerate() {
        let object = describe(item, i);
        let file = source.name.clone();
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
            // vesting terms, valuations, financings, documents.
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
