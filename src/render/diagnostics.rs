//! Problems rendered for people: miette's graphical report.

use miette::{GraphicalReportHandler, GraphicalTheme};

use crate::diagnostic::Problem;

/// At most this many problems are drawn; the rest are counted. The first
/// ones are the ones to fix (later ones often follow from them), and a file
/// of tens of thousands of mistakes must not print megabytes.
pub const PROBLEMS_SHOWN: usize = 50;

/// Renders problems for a terminal (colour when `color`), or plainly, at
/// [`super::width`] columns (80 for snapshots), with a count at the end.
pub fn render(problems: &[Problem], color: bool) -> String {
    let mut out = reports(problems, color);
    let n = problems.len();
    out.push_str(&format!(
        "{} problem{} found\n",
        crate::num::group(rust_decimal::Decimal::from(n), 0),
        if n == 1 { "" } else { "s" }
    ));
    out
}

/// Renders problems as [`render`] does, without the count: the first
/// [`PROBLEMS_SHOWN`], then a line counting the others.
pub fn reports(problems: &[Problem], color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // As with answers, lines break only at spaces: `asset-sale`, dates and
    // sections stay whole.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(super::width())
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut out = String::new();
    for p in problems.iter().take(PROBLEMS_SHOWN) {
        // A span far along a very long line is shown in a window of it.
        let p = &p.windowed();
        if handler.render_report(&mut out, p).is_err() {
            out.push_str(&format!("{}: {}\n", p.kind.code(), p.kind));
        }
    }
    if problems.len() > PROBLEMS_SHOWN {
        let line = format!(
            "... and {} more problems not shown: fix the first {PROBLEMS_SHOWN}, which later ones often follow from, and check again",
            crate::num::group(
                rust_decimal::Decimal::from(problems.len().saturating_sub(PROBLEMS_SHOWN)),
                0
            )
        );
        out.push_str(&textwrap::fill(&line, super::width()));
        out.push_str("\n\n");
    }
    out
}
