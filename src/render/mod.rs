//! Stage 4: results and problems rendered as text tables, JSON or diagnostics.

pub mod approval;
pub mod conversion;
pub mod diagnostics;
pub mod dividends;
pub mod json;
pub mod table;

use comfy_table::{Cell, CellAlignment, Table, presets::UTF8_FULL_CONDENSED};

use crate::query::{Answer, Session};

/// A table with the house style and the given header.
pub(crate) fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.force_no_tty();
    t.set_header(header.iter().map(|h| Cell::new(*h)));
    t
}

/// A right-aligned cell, for figures.
pub(crate) fn right(s: String) -> Cell {
    Cell::new(s).set_alignment(CellAlignment::Right)
}

/// Renders an answer as text for a terminal, or `None` for statements that
/// only move the scenario (`on DATE`).
pub fn text(a: &Answer, session: &Session) -> Option<String> {
    let name = |id: usize| session.scenario.name(id);
    Some(match a {
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
        Answer::Date(_) => return None,
    })
}

/// Renders an answer as one line of JSON, or `None` for `on DATE`.
pub fn json(a: &Answer, session: &Session) -> Option<String> {
    if matches!(a, Answer::Date(_)) {
        return None;
    }
    let name = |id: usize| session.scenario.name(id);
    Some(json::answer(a, &name).to_string())
}
