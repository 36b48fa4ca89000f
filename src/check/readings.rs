//! Readings: where a charter's words allow more than one reading, the file
//! offers each alternative's clauses in a `reading` group. Before the blocks
//! are checked, this keeps the clauses of the chosen alternatives (the first
//! of each reading, unless another is chosen) and reports readings declared
//! inconsistently or chosen by a name the file does not offer.
//!
//! Cost: one pass over the clauses, O(C + R × A) for C clauses and R
//! readings of A alternatives.

use std::borrow::Cow;

use crate::diagnostic::{Kind, Problem, did_you_mean};
use crate::ir::{self, Span};
use crate::syntax::ast::{self, Clause, Item, Spanned};

/// A reading chosen other than the file's: `"day count" is "actual/actual"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Chosen {
    /// The reading's name, where it was written.
    pub reading: Spanned<String>,
    /// The alternative's name, where it was written.
    pub alternative: Spanned<String>,
}

/// Every reading group of the file, in order.
fn declared(file: &ast::File) -> Vec<&ast::Reading> {
    let mut out = Vec::new();
    for item in &file.items {
        let readings: &[ast::Reading] = match &item.node {
            Item::Liquidation(b) => &b.readings,
            Item::Deemed(b) => &b.readings,
            Item::Conversion(b) => &b.readings,
            Item::AntiDilution(b) => &b.readings,
            Item::Dividends(b) => &b.readings,
            Item::Redemption(b) => &b.readings,
            Item::Voting(b) => &b.readings,
            Item::Protective(b) => &b.readings,
            _ => &[],
        };
        out.extend(readings);
    }
    out
}

/// The readings the file offers, each with the alternative `choices` pick
/// (or the file's), and the file with only the chosen alternatives' clauses.
/// A reading may be offered in several blocks when it changes each; it must
/// name the same alternatives, in the same order, everywhere.
pub fn select<'f>(
    file: &'f ast::File,
    choices: &[Chosen],
    problems: &mut Vec<Problem>,
) -> (Cow<'f, ast::File>, Vec<ir::Reading>) {
    let mut readings: Vec<ir::Reading> = Vec::new();
    for r in declared(file) {
        let names: Vec<String> = r.alternatives.iter().map(|a| a.node.clone()).collect();
        if names.len() < 2 {
            problems.push(
                Problem::new(
                    Kind::Impossible(format!("the reading \"{}\" offers one alternative", r.name.node)),
                    r.name.span,
                    "a reading with nothing to choose from",
                )
                .with_help("a `reading` group gives each reading the words allow, at least two; write a single reading's clauses without a group, with a comment quoting the text"),
            );
        }
        for (i, a) in r.alternatives.iter().enumerate() {
            if names.iter().take(i).any(|n| *n == a.node) {
                problems.push(Problem::new(
                    Kind::Duplicate(format!("the alternative \"{}\"", a.node)),
                    a.span,
                    "named again here",
                ));
            }
        }
        match readings.iter().find(|x| x.name == r.name.node) {
            Some(first) if first.alternatives != names => problems.push(
                Problem::new(
                    Kind::Duplicate(format!("the reading \"{}\"", r.name.node)),
                    r.name.span,
                    "offered again with other alternatives",
                )
                .with_note(first.span, "first offered here")
                .with_help(format!(
                    "a reading offered in several blocks names the same alternatives in the same order everywhere: {}",
                    quoted(&first.alternatives)
                )),
            ),
            Some(_) => {}
            None => readings.push(ir::Reading {
                name: r.name.node.clone(),
                span: r.name.span,
                section: r.cite.as_ref().map(|c| c.node.clone()),
                quoting: r.quoting.clone(),
                alternatives: names,
                chosen: 0,
            }),
        }
    }
    choose(&mut readings, choices, problems);
    if readings.is_empty() {
        return (Cow::Borrowed(file), readings);
    }
    let keep = |reading: &Option<ast::Alternative>| match reading {
        None => true,
        Some(a) => readings
            .iter()
            .find(|r| r.name == a.reading)
            .and_then(|r| r.alternatives.get(r.chosen))
            .is_some_and(|chosen| *chosen == a.name),
    };
    let mut file = file.clone();
    for item in &mut file.items {
        match &mut item.node {
            Item::Liquidation(b) => retain(&mut b.clauses, &keep),
            Item::Deemed(b) => retain(&mut b.clauses, &keep),
            Item::Conversion(b) => retain(&mut b.clauses, &keep),
            Item::AntiDilution(b) => retain(&mut b.clauses, &keep),
            Item::Dividends(b) => retain(&mut b.clauses, &keep),
            Item::Redemption(b) => retain(&mut b.clauses, &keep),
            Item::Voting(b) => retain(&mut b.clauses, &keep),
            Item::Protective(b) => retain(&mut b.clauses, &keep),
            _ => {}
        }
    }
    (Cow::Owned(file), readings)
}

/// Sets each reading `choices` name to the alternative they pick, reporting
/// names the file does not offer.
pub fn choose(readings: &mut [ir::Reading], choices: &[Chosen], problems: &mut Vec<Problem>) {
    for c in choices {
        let Some(r) = readings.iter_mut().find(|r| r.name == c.reading.node) else {
            let names: Vec<&str> = readings.iter().map(|r| r.name.as_str()).collect();
            let mut p = Problem::new(
                Kind::UnknownReading(c.reading.node.clone()),
                c.reading.span,
                "not a reading this file offers",
            );
            p = p.with_help(match did_you_mean(&c.reading.node, names.iter().copied()) {
                Some(hint) => hint,
                None if names.is_empty() => {
                    "the file offers no readings to choose from".to_string()
                }
                None => format!("the file offers {}", quoted_strs(&names)),
            });
            problems.push(p);
            continue;
        };
        match r.alternatives.iter().position(|a| *a == c.alternative.node) {
            Some(i) => r.chosen = i,
            None => problems.push(
                Problem::new(
                    Kind::UnknownAlternative {
                        reading: c.reading.node.clone(),
                        alternative: c.alternative.node.clone(),
                    },
                    c.alternative.span,
                    "not one of its alternatives",
                )
                .with_help(format!(
                    "\"{}\" is read as {}",
                    r.name,
                    quoted(&r.alternatives).replace(", ", " or ")
                )),
            ),
        }
    }
}

fn retain<T>(clauses: &mut Vec<Clause<T>>, keep: &impl Fn(&Option<ast::Alternative>) -> bool) {
    clauses.retain(|c| keep(&c.reading));
}

fn quoted(names: &[String]) -> String {
    quoted_strs(&names.iter().map(String::as_str).collect::<Vec<_>>())
}

fn quoted_strs(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads `NAME=ALTERNATIVE` (a `--reading` argument) into a choice whose
/// spans point into `text`. `None` without an `=`.
pub fn parse_choice(text: &str) -> Option<Chosen> {
    let eq = text.find('=')?;
    // `=` is one byte: the alternative starts just after it.
    let after = eq.saturating_add(1);
    let (name, alt) = (text.get(..eq)?, text.get(after..)?);
    let trim = |s: &str, at: usize| {
        let lead = s.len().saturating_sub(s.trim_start().len());
        let t = s.trim().trim_matches('"');
        let start = at
            .saturating_add(lead)
            .saturating_add(usize::from(s.trim().starts_with('"')));
        Spanned {
            node: t.to_string(),
            span: Span::new(start, start.saturating_add(t.len())),
        }
    };
    Some(Chosen {
        reading: trim(name, 0),
        alternative: trim(alt, after),
    })
}
