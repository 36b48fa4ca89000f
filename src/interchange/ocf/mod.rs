//! The Open Cap Format (OCF): `charter import ocf` and `charter export ocf`.
//!
//! Import: [`package`] reads the JSON files into [`model`] structures,
//! [`ledger`] builds the cap table from the transactions, and [`write`]
//! writes the charter with every figure's OCF source and a `todo` for every
//! term OCF does not state. The text is then checked: it must hold no
//! problem but those gaps (and what follows from them).

pub mod export;
mod kinds;
pub mod ledger;
pub mod model;
pub mod package;
mod states;
pub mod write;

use std::path::Path;

use crate::diagnostic::{Kind, Problems, Source};

/// How a comment carrying a charter's own text for a block starts: the
/// export writes the blocks OCF has no field for in the package's
/// comments, and the import reads them back (`export::carried`,
/// `write::carried`).
pub const CARRIED: &str = "charter source: ";

/// A charter imported from OCF, not yet written anywhere.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The `.charter` text.
    pub text: String,
    /// How many `todo` gaps it holds.
    pub gaps: usize,
}

/// Imports the OCF package (or single file) at `path`; `name` is what the
/// charter will be called, for diagnostics.
pub fn import(path: &Path, name: &str) -> Result<Imported, Problems> {
    let package = package::read(path)?;
    let ledger = ledger::build(&package);
    let (text, gaps) = write::charter(&package, &ledger);
    too_large(&text, name)?;
    verify(&text, name)?;
    Ok(Imported { text, gaps })
}

/// Whether a problem is a gap, or follows from one (a term missing because a
/// `todo` stands where it would be).
pub fn is_gap(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::Todo(_)
            | Kind::MissingField { .. }
            | Kind::MissingParticipation(_)
            | Kind::MissingPreference(_)
            | Kind::MissingShortfall(_)
            | Kind::MissingIssuePrice(_)
            | Kind::UnstatedConversion(_)
            | Kind::MissingConversionTerms(_)
            | Kind::UnorderedClasses { .. }
    )
}

/// Refuses a charter larger than `check` reads (a name of 50 MB in the
/// package would write one), rather than writing a file nothing can open.
fn too_large(text: &str, name: &str) -> Result<(), Problems> {
    let max = crate::input::MAX_FILE;
    if u64::try_from(text.len()).unwrap_or(u64::MAX) <= max {
        return Ok(());
    }
    Err(vec![
        crate::diagnostic::Problem::new(
            Kind::OcfInput {
                file: name.to_string(),
                object: "the charter it would write".to_string(),
                message: format!(
                    "would be {} bytes, more than the {} a charter file may be",
                    crate::num::shares(rust_decimal::Decimal::from(text.len())),
                    crate::num::shares(rust_decimal::Decimal::from(max))
                ),
            },
            crate::diagnostic::Span::default(),
            "",
        )
        .with_help("a name or a list in the package is far longer than a charter's; shorten it"),
    ])
}

/// Checks the written charter: any problem but a gap is the package's (more
/// shares outstanding than authorized, say) and stops the import.
fn verify(text: &str, name: &str) -> Result<(), Problems> {
    let source = Source::new(format!("{name} (as it would be written)"), text.to_string());
    match crate::check::load(&source) {
        Ok(_) => Ok(()),
        Err(problems) => {
            let real: Problems = problems.into_iter().filter(|p| !is_gap(&p.kind)).collect();
            if real.is_empty() { Ok(()) } else { Err(real) }
        }
    }
}
