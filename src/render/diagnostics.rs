//! Problems rendered for people: miette's graphical report.

use miette::{GraphicalReportHandler, GraphicalTheme};

use crate::diagnostic::Problem;

/// Renders problems for a terminal (colour when `color`), or plainly, at
/// [`super::width`] columns (80 for snapshots), with a count at the end.
pub fn render(problems: &[Problem], color: bool) -> String {
    let mut out = reports(problems, color);
    let n = problems.len();
    out.push_str(&format!(
        "{n} problem{} found\n",
        if n == 1 { "" } else { "s" }
    ));
    out
}

/// Renders problems as [`render`] does, without the count.
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
    for p in problems {
        // A span far along a very long line is shown in a window of it.
        let p = &p.windowed();
        if handler.render_report(&mut out, p).is_err() {
            out.push_str(&format!("{}: {}\n", p.kind.code(), p.kind));
        }
    }
    out
}
