//! `charter import ocf` and `charter export ocf`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{ExportTo, ImportFrom, load};
use crate::diagnostic::{Kind, Problem, Problems, Source};
use crate::interchange::ocf;

/// A file that cannot be written, as a problem.
fn unwritable(path: &Path, e: &std::io::Error) -> Problems {
    vec![crate::output::unwritable_file(path, e)]
}

/// Reads an OCF package and writes (or prints) the charter it describes.
/// Nothing is written unless the whole import succeeds.
pub fn import(from: ImportFrom) -> Result<ExitCode, Problems> {
    let ImportFrom::Ocf { path, out, force } = from;
    if let Some(o) = &out {
        // Its gaps may already be filled in: replaced only with `--force`.
        crate::output::may_write(o, force).map_err(|p| vec![p])?;
    }
    let name = out.as_ref().map_or_else(
        || "the imported charter".to_string(),
        |o| o.display().to_string(),
    );
    let imported = ocf::import(&path, &name)?;
    match &out {
        Some(o) => {
            std::fs::write(o, &imported.text).map_err(|e| unwritable(o, &e))?;
            crate::errln!(
                "wrote {} with {} gap{} to fill (`charter check {}` lists them)",
                crate::diagnostic::shown_path(o),
                imported.gaps,
                if imported.gaps == 1 { "" } else { "s" },
                crate::diagnostic::shown_path(o)
            );
        }
        None => crate::out!("{}", imported.text),
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes a charter as an OCF package into a folder.
pub fn export(to: ExportTo) -> Result<ExitCode, Problems> {
    let ExportTo::Ocf {
        file: path,
        out,
        after,
        formation_date,
        force,
    } = to;
    let formation = match formation_date {
        Some(text) => Some(date_arg(&text)?),
        None => None,
    };
    super::typed::statements("--after", &after)?;
    let charter = load(&path)?;
    let now = generated_at();
    let exported = ocf::export::export(&charter, &after, formation, &now)?;
    let dir = out.unwrap_or_else(|| default_dir(&path));
    // The folder itself may be made, not the folders it is in; no file in
    // it is replaced unasked, and none is written unless all may be.
    if !dir.is_dir() {
        crate::output::may_write(&dir, false).map_err(|p| vec![p])?;
        std::fs::create_dir(&dir).map_err(|e| unwritable(&dir, &e))?;
    }
    for (name, _) in &exported.files {
        crate::output::may_write(&dir.join(name), force).map_err(|p| vec![p])?;
    }
    for (name, text) in &exported.files {
        let file = dir.join(name);
        std::fs::write(&file, text).map_err(|e| unwritable(&file, &e))?;
    }
    crate::outln!(
        "wrote {} files to {}",
        exported.files.len(),
        crate::diagnostic::shown_path(&dir)
    );
    if !exported.notes.is_empty() {
        crate::outln!("Not in OCF's own fields:");
        for n in &exported.notes {
            crate::outln!("  - {n}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `avesta.charter` → `avesta-ocf`, beside it.
fn default_dir(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(|| "charter".into(), |s| s.to_string_lossy().into_owned());
    path.with_file_name(format!("{stem}-ocf"))
}

/// A `YYYY-MM-DD` argument.
fn date_arg(text: &str) -> Result<chrono::NaiveDate, Problems> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        crate::diagnostic::attach(
            vec![Problem::new(
                Kind::BadDate(text.to_string()),
                crate::ir::Span::new(0, text.len()),
                "YYYY-MM-DD",
            )],
            &Source::new("--formation-date", text),
        )
    })
}

/// The generation time: `SOURCE_DATE_EPOCH` where set (reproducible
/// output), else now.
fn generated_at() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        });
    chrono::DateTime::from_timestamp(seconds, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}
