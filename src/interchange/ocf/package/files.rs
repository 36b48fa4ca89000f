//! Which files a package is made of, and that each is read once, from
//! inside the package, as what it says it is: the manifest's lists (each
//! file of the type its list names, inside the manifest's folder, listed
//! once, with its checksum compared), a folder of loose OCF files, and one
//! object per id.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use md5::{Digest, Md5};
use serde_json::Value;

use super::{Package, add_items, file_type, invalid, json_file, one, typed};
use crate::diagnostic::{Kind, Problems, Source};
use crate::interchange::ocf::model::{FileRef, Manifest};

/// The manifest's `file_type`.
pub const MANIFEST: &str = "OCF_MANIFEST_FILE";

/// Every OCF file type (OCF 1.2's `schema/files`).
pub const KNOWN: &[&str] = &[
    "OCF_DOCUMENTS_FILE",
    "OCF_FINANCINGS_FILE",
    MANIFEST,
    "OCF_STAKEHOLDERS_FILE",
    "OCF_STOCK_CLASSES_FILE",
    "OCF_STOCK_LEGEND_TEMPLATES_FILE",
    "OCF_STOCK_PLANS_FILE",
    "OCF_TRANSACTIONS_FILE",
    "OCF_VALUATIONS_FILE",
    "OCF_VESTING_TERMS_FILE",
];

/// A help naming the file type nearest to `written`.
pub fn did_you_mean(written: &str) -> String {
    let nearest = KNOWN
        .iter()
        .map(|k| (strsim::levenshtein(written, k), *k))
        .min()
        .map(|(_, k)| k)
        .unwrap_or("OCF_TRANSACTIONS_FILE");
    format!("did you mean `{nearest}`? An OCF file says which of OCF's file types it is")
}

/// The kind of object whose ids must differ, by the file type holding it.
pub fn collection(file_type: &str) -> Option<&'static str> {
    match file_type {
        "OCF_STOCK_CLASSES_FILE" => Some("stock class"),
        "OCF_STAKEHOLDERS_FILE" => Some("stakeholder"),
        "OCF_STOCK_PLANS_FILE" => Some("stock plan"),
        "OCF_TRANSACTIONS_FILE" => Some("transaction"),
        _ => None,
    }
}

/// Refuses an object whose id an object of the same kind already has,
/// naming both places: a repeated issuance would count its shares twice, a
/// repeated class or stakeholder would move the first one's shares.
pub fn first_of_id(
    package: &mut Package,
    source: &Source,
    item: &Value,
    kind: &'static str,
    object: &str,
) -> Result<(), Problems> {
    let Some(id) = item.get("id").and_then(Value::as_str) else {
        return Ok(());
    };
    let here = format!("{} ({object})", source.name);
    match package.seen.get(&(kind, id.to_string())) {
        None => {
            package.seen.insert((kind, id.to_string()), here);
            Ok(())
        }
        Some(first) => Err(invalid(
            source,
            object,
            &format!(
                "has the id `{}` of another {kind}, first read in {first}",
                crate::diagnostic::printable(id)
            ),
            Some((id, "id")),
            "give each object its own id, or remove the copy (a file listed twice, or an object written twice)",
        )),
    }
}

/// Whether `text` is a date OCF can hold: `YYYY-MM-DD`, a day that exists.
pub fn is_date(text: &str) -> bool {
    text.len() == 10 && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

/// The `.json` files in a folder, in order of name.
pub fn json_in(dir: &Path) -> Result<Vec<PathBuf>, Problems> {
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
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    found.sort();
    Ok(found)
}

/// A folder of OCF files without a manifest: each file is read as the type
/// it says it is, in order of name.
pub fn loose(dir: &Path) -> Result<Package, Problems> {
    let paths = json_in(dir)?;
    if paths.is_empty() {
        return Err(one(
            Kind::OcfInput {
                file: dir.display().to_string(),
                object: "the folder".to_string(),
                message: "holds no OCF files (.json files with a `file_type`)".to_string(),
            },
            "give the manifest file, or a single OCF file, instead of the folder",
        ));
    }
    let mut package = Package {
        origin: dir.display().to_string(),
        ..Package::default()
    };
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (source, value) = json_file(&path, &name)?;
        let kind = file_type(&source, &value)?;
        add_items(&mut package, &source, &value, &kind)?;
    }
    Ok(package)
}

/// Reads a manifest and the files it lists into `package`.
pub fn manifest(
    package: &mut Package,
    path: &Path,
    source: &Source,
    value: &Value,
) -> Result<(), Problems> {
    let manifest: Manifest = typed(source, value, "the manifest")?;
    if !is_date(&manifest.as_of) {
        return Err(invalid(
            source,
            "the manifest",
            &format!("field `as_of`: `{}` is not a date", manifest.as_of),
            Some((&manifest.as_of, "")),
            "write the date as YYYY-MM-DD, a day that exists",
        ));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let root = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let lists: [(&str, &str, &[FileRef]); 4] = [
        (
            "stock_classes_files",
            "OCF_STOCK_CLASSES_FILE",
            &manifest.stock_classes_files,
        ),
        (
            "stakeholders_files",
            "OCF_STAKEHOLDERS_FILE",
            &manifest.stakeholders_files,
        ),
        (
            "stock_plans_files",
            "OCF_STOCK_PLANS_FILE",
            &manifest.stock_plans_files,
        ),
        (
            "transactions_files",
            "OCF_TRANSACTIONS_FILE",
            &manifest.transactions_files,
        ),
    ];
    let mut listed: HashMap<PathBuf, String> = HashMap::new();
    for (list, expected, files) in lists {
        for f in files {
            let target = inside(source, &root, list, &f.filepath)?;
            let key = target.canonicalize().unwrap_or_else(|_| target.clone());
            if let Some(first) = listed.insert(key, format!("`{list}`")) {
                return Err(invalid(
                    source,
                    "the manifest",
                    &format!(
                        "`{list}` lists `{}`, which {first} already lists: its objects would be read twice",
                        f.filepath
                    ),
                    Some((&f.filepath, "")),
                    "list each file once",
                ));
            }
            let (file_source, file_value) = json_file(&target, &f.filepath)?;
            let kind = file_type(&file_source, &file_value)?;
            if kind != expected {
                let help = if KNOWN.contains(&kind.as_str()) {
                    format!(
                        "list the file under the manifest's list for {kind}, or give the file `{expected}`"
                    )
                } else {
                    did_you_mean(&kind)
                };
                return Err(invalid(
                    &file_source,
                    "the file",
                    &format!(
                        "is listed in the manifest's `{list}`, so it must be an `{expected}`, but its `file_type` is `{kind}`"
                    ),
                    Some((&kind, "")),
                    &help,
                ));
            }
            if let Some(gap) = checksum(f, &file_source) {
                package.gaps.push(gap);
            }
            add_items(package, &file_source, &file_value, &kind)?;
        }
    }
    package.manifest = Some(manifest);
    Ok(())
}

/// The file a manifest entry names, refused unless it lies inside the
/// manifest's folder: a package is read from where it is, never from
/// beside or above it.
fn inside(source: &Source, root: &Path, list: &str, filepath: &str) -> Result<PathBuf, Problems> {
    let relative = Path::new(filepath);
    let climbs = relative.components().any(|c| {
        matches!(
            c,
            Component::ParentDir | Component::RootDir | Component::Prefix(_)
        )
    });
    let target = root.join(relative);
    let escapes = target
        .canonicalize()
        .is_ok_and(|real| !real.starts_with(root));
    if climbs || escapes {
        return Err(invalid(
            source,
            "the manifest",
            &format!(
                "`{list}` names `{}`, which is outside the package's folder",
                crate::diagnostic::printable(filepath)
            ),
            Some((filepath, "")),
            "a manifest names its files relative to its own folder, inside it; copy the file into the package",
        ));
    }
    Ok(target)
}

/// A gap where the manifest's checksum for a file is not the file's: it
/// changed after the manifest was written, or is not the file meant.
fn checksum(f: &FileRef, source: &Source) -> Option<String> {
    let stated = f.md5.as_deref()?;
    let actual = format!("{:x}", Md5::digest(source.text.as_bytes()));
    (!stated.eq_ignore_ascii_case(&actual)).then(|| {
        format!(
            "{}: the manifest gives its md5 as {}, but the file's is {actual} — it changed after the manifest was written, or is not the file meant; check it, then remove this line",
            f.filepath,
            crate::diagnostic::printable(stated)
        )
    })
}
