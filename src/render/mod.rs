//! Stage 4: results and problems rendered as text tables, JSON or diagnostics.

pub mod analysis;
pub mod approval;
pub mod chart;
mod cites;
pub mod conversion;
pub mod curve;
pub mod diagnostics;
pub mod dividends;
pub mod json;
pub mod json_rows;
pub mod table;
pub mod value;

use comfy_table::{
    Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width,
    presets::UTF8_FULL_CONDENSED,
};

use crate::query::{Answer, Session};

/// The width answers are fitted to: 80 columns unless the command line
/// sets the terminal's (see [`set_width`]).
static WIDTH: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(80);

/// Fits answers and diagnostics to `columns` (at least 60) from now on. The
/// command line calls it with the terminal's width when standard output is
/// one; piped output, tests and snapshots keep 80.
pub fn set_width(columns: usize) {
    WIDTH.store(columns.max(60), std::sync::atomic::Ordering::Relaxed);
}

/// The width answers are fitted to.
pub fn width() -> usize {
    WIDTH.load(std::sync::atomic::Ordering::Relaxed)
}

/// A table in the house style, fitted to [`width`] columns when shown.
pub(crate) struct Grid(Table);

impl std::ops::Deref for Grid {
    type Target = Table;
    fn deref(&self) -> &Table {
        &self.0
    }
}

impl std::ops::DerefMut for Grid {
    fn deref_mut(&mut self) -> &mut Table {
        &mut self.0
    }
}

/// The widest word a table keeps whole. A name of thousands of characters
/// is cut into lines of this many: the table library sums widths in 16
/// bits and would overflow.
const WORD_LIMIT: usize = 1_000;

/// `t` with every word longer than [`WORD_LIMIT`] cut into lines, or `None`
/// when it has none (nearly always). The cells are made again from their
/// text, figures aligned right as [`right`] aligns them.
fn shortened(t: &Table) -> Option<Table> {
    let long = |c: &Cell| {
        c.content()
            .split_whitespace()
            .any(|w| w.chars().count() > WORD_LIMIT)
    };
    let rows = || t.header().into_iter().chain(t.row_iter());
    if !rows().any(|r| r.cell_iter().any(long)) {
        return None;
    }
    let cut = |c: &Cell| -> Cell {
        let text = c.content();
        let figure = text.starts_with(['$', '-', '\u{2212}'])
            || text.starts_with(|c: char| c.is_ascii_digit());
        let lines: Vec<String> = text
            .split(' ')
            .map(|word| {
                let chars: Vec<char> = word.chars().collect();
                chars
                    .chunks(WORD_LIMIT)
                    .map(|ch| ch.iter().collect::<String>())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect();
        let cell = Cell::new(lines.join(" "));
        if figure {
            cell.set_alignment(CellAlignment::Right)
        } else {
            cell
        }
    };
    let mut n = styled();
    if let Some(h) = t.header() {
        n.set_header(h.cell_iter().map(cut).collect::<Vec<_>>());
    }
    for r in t.row_iter() {
        n.add_row(r.cell_iter().map(cut).collect::<Vec<_>>());
    }
    Some(n)
}

impl std::fmt::Display for Grid {
    /// Long names and headers wrap between words so the table fits
    /// [`width`], but no word is ever broken: a figure split across two
    /// lines would be misread. A table whose words alone exceed it is shown
    /// wider rather than broken.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut t = shortened(&self.0).unwrap_or_else(|| self.0.clone());
        let mut widths: Vec<usize> = Vec::new();
        for row in t.header().into_iter().chain(t.row_iter()) {
            for (i, cell) in row.cell_iter().enumerate() {
                let longest = cell
                    .content()
                    .split_whitespace()
                    .map(|w| w.chars().count())
                    .max()
                    .unwrap_or(0);
                if widths.len() <= i {
                    widths.resize(i.saturating_add(1), 0);
                }
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(longest);
                }
            }
        }
        for (i, w) in widths.into_iter().enumerate() {
            // The boundary counts the cell's padding, one space each side.
            let w = u16::try_from(w.saturating_add(2)).unwrap_or(u16::MAX);
            if let Some(c) = t.column_mut(i) {
                c.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w)));
            }
        }
        write!(f, "{t}")
    }
}

/// A CSV field as a spreadsheet may open it: text that begins with `=`,
/// `+`, `-`, `@`, a tab or a carriage return would be read as a formula (a
/// holder named `=HYPERLINK(...)`), so it is given a leading `'`; a number,
/// negative ones too, is left as it is.
pub fn csv_safe(field: &str) -> std::borrow::Cow<'_, str> {
    let formula = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = field
        .strip_prefix('-')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.'));
    if formula && !number {
        std::borrow::Cow::Owned(format!("'{field}"))
    } else {
        std::borrow::Cow::Borrowed(field)
    }
}

/// Writes one CSV record, each field made [`csv_safe`].
pub(crate) fn csv_record<W: std::io::Write, T: AsRef<str>>(
    w: &mut csv::Writer<W>,
    fields: impl IntoIterator<Item = T>,
) -> csv::Result<()> {
    w.write_record(
        fields
            .into_iter()
            .map(|f| csv_safe(f.as_ref()).into_owned()),
    )
}

/// A table with the house style and the given header.
pub(crate) fn table(header: &[&str]) -> Grid {
    let mut t = styled();
    t.set_header(header.iter().map(|h| Cell::new(*h)));
    Grid(t)
}

/// An empty table in the house style, fitted to [`width`].
fn styled() -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.force_no_tty();
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(u16::try_from(width()).unwrap_or(80));
    t
}

/// A right-aligned cell, for figures.
pub(crate) fn right(s: String) -> Cell {
    Cell::new(s).set_alignment(CellAlignment::Right)
}

/// Renders an answer as text for a terminal.
pub fn text(a: &Answer, session: &Session) -> String {
    fit(&unwrapped(a, session))
}

/// The text of an answer with its prose lines not yet wrapped (tables are
/// fitted): for a caller that indents it first and then wraps it once.
pub fn unwrapped(a: &Answer, session: &Session) -> String {
    let name = |id: usize| session.scenario.name(id);
    match a {
        Answer::Payout(p) => table::payout(p),
        Answer::Event { text, adjustments } => conversion::event(text, adjustments, name),
        Answer::Ipo(o) => conversion::ipo(o),
        Answer::Prices(lines) => conversion::prices(lines),
        Answer::Convert(c) => conversion::convert(c),
        Answer::Explain(e) => conversion::explain(e),
        Answer::Vote(v) => conversion::vote(v),
        Answer::Approval(a) => approval::approval(a),
        Answer::Votes(v) => approval::votes(v),
        Answer::Board(b) => approval::board(b),
        Answer::Declaration(d) => dividends::declaration(d),
        Answer::Accrued(list) => dividends::accrued(list),
        Answer::Redeem(r) => dividends::redemption(r),
        Answer::Breakpoints(b) => curve::table(b),
        Answer::Curve(sweep) => {
            let mut out = Vec::new();
            match curve::write_sweep(sweep, curve::SweepFormat::Table, &mut out) {
                Ok(()) => String::from_utf8_lossy(&out).into_owned(),
                Err(e) => format!("the curve could not be computed: {e:?}\n"),
            }
        }
        Answer::Date(d) => format!("the scenario now stands on {d}\n"),
        Answer::Solve(s) => analysis::solved(s),
        Answer::Value(v) => value::valuation(v),
    }
}

/// Wraps prose lines to [`width`] columns between words, continuing each
/// under its own indentation plus two spaces; table lines are already fitted.
pub(crate) fn fit(text: &str) -> String {
    let width = width();
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let is_table = body.starts_with(['┌', '│', '╞', '├', '└']);
        if is_table || textwrap::core::display_width(body) <= width {
            out.push_str(line);
            continue;
        }
        let indent = body
            .get(..body.len().saturating_sub(body.trim_start().len()))
            .unwrap_or("");
        let more = format!("{indent}  ");
        let options = textwrap::Options::new(width)
            .initial_indent(indent)
            .subsequent_indent(&more)
            // Only spaces break a line: a section like `§ A.6(b)(iv)` or a
            // date like `2000-07-13` stays on one line.
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(false);
        // A section mark stays with its number: `§ A.6(b)(iv)` is one word here.
        let body = body.trim_start().replace("§ ", "§\u{a0}");
        out.push_str(&textwrap::fill(&body, options).replace("§\u{a0}", "§ "));
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// A unified diff of two texts, labeled, with three lines of context.
pub fn diff(before: &str, after: &str, before_label: &str, after_label: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(before_label, after_label)
        .to_string()
}

/// Renders an answer as one line of JSON.
pub fn json(a: &Answer, session: &Session) -> String {
    match a {
        Answer::Breakpoints(b) => return curve::json_text(b),
        Answer::Value(v) => return value::valuation_json_text(v),
        _ => {}
    }
    let name = |id: usize| session.scenario.name(id);
    json::answer(a, &name).to_string()
}

/// The readings a charter file offers, one line each, the alternative taken
/// marked: what `charter check` lists and `--reading` chooses among.
pub fn readings(list: &[crate::ir::Reading]) -> String {
    let mut out = String::new();
    for r in list {
        let alts: Vec<String> = r
            .alternatives
            .iter()
            .enumerate()
            .map(|(i, a)| {
                if i == r.chosen {
                    format!("\"{a}\" (taken)")
                } else {
                    format!("\"{a}\"")
                }
            })
            .collect();
        let section = r
            .section
            .as_ref()
            .map(|s| format!(" (§ {s})"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  reading \"{}\"{section}: {}\n",
            r.name,
            alts.join(", ")
        ));
    }
    out
}
