//! Writing the imported charter.
//!
//! Every figure is written with a comment naming the OCF object (and field)
//! it comes from. What OCF does not state is written as a `todo` line saying
//! what to decide and how to write it, never as a default: the checker
//! reports each until the clause replaces it.

mod carried;
mod safes;
mod stock;
mod terms;

use std::fmt::Write;

use rust_decimal::Decimal;

use super::ledger::Ledger;
use super::package::Package;

/// The text being written, and the gaps found on the way.
pub struct Writer<'a> {
    /// The charter text.
    pub out: String,
    /// Gaps, written at the end of the block they belong to.
    pub pending: Vec<String>,
    /// Every gap written.
    pub gaps: usize,
    /// The package read.
    pub package: &'a Package,
    /// The cap table built from it.
    pub ledger: &'a Ledger,
    /// The short name of each class, by index.
    pub idents: Vec<String>,
    /// The display name of each class, by index.
    pub displays: Vec<String>,
    /// Per class, its original issue price as written (after splits).
    pub priced: Vec<Option<Decimal>>,
    /// Classes that convert into common: class, the OCF source, and the
    /// mechanism's rounding type.
    pub converts: Vec<(usize, String, Option<String>)>,
}

/// The comment column: figures line up their sources here.
const COLUMN: usize = 44;

impl Writer<'_> {
    /// One line, with the OCF source as a comment where one is given.
    pub fn line(&mut self, indent: usize, text: &str, source: &str) {
        let start = self.out.len();
        for _ in 0..indent {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        if !source.is_empty() {
            let width = self.out.len().saturating_sub(start);
            for _ in width..COLUMN {
                self.out.push(' ');
            }
            let _ = write!(self.out, " # {}", printable(source));
        }
        self.out.push('\n');
    }

    /// A gap to write after the current block.
    pub fn gap(&mut self, text: impl Into<String>) {
        self.pending.push(text.into());
    }

    /// Writes the pending gaps as `todo` lines.
    pub fn flush(&mut self) {
        for g in std::mem::take(&mut self.pending) {
            let _ = writeln!(self.out, "todo \"{}\"", quotable(&g));
            self.gaps = self.gaps.saturating_add(1);
        }
    }

    /// A class's short name.
    pub fn ident(&self, class: usize) -> &str {
        self.idents.get(class).map_or("", String::as_str)
    }

    /// What a gap calls a class: OCF's name, or its short name where that
    /// name is long (a gap names its class, and a class has several gaps).
    pub fn called(&self, class: usize) -> &str {
        match self.ledger.classes.get(class) {
            Some(c) if c.class.item.name.chars().count() <= IDENT_LIMIT => &c.class.item.name,
            _ => self.ident(class),
        }
    }
}

/// Text safe inside a charter string: no quotes, no control characters,
/// nothing that reorders or breaks the line as shown (a name with U+202E
/// would read backwards in an editor, one with U+2028 would break a line).
pub fn quotable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '"' => '\'',
            c => unshown(c),
        })
        .collect()
}

/// Text safe in a comment: one line, shown as it is.
fn printable(text: &str) -> String {
    text.chars().map(unshown).collect()
}

/// A space for a character a charter must not hold as written.
fn unshown(c: char) -> char {
    if c.is_control() || crate::diagnostic::reorders(c) {
        ' '
    } else {
        c
    }
}

/// The longest short name made for a class: every clause names the class
/// by it, so a long display name is written once, not in every clause.
const IDENT_LIMIT: usize = 32;

/// A short name from a display name: its words run together, starting with
/// a capital letter (`Series Seed Preferred` → `SeriesSeedPreferred`), at
/// most [`IDENT_LIMIT`] characters.
pub(super) fn ident_of(name: &str) -> String {
    let mut out = String::new();
    for word in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
        if out.len() >= IDENT_LIMIT {
            break;
        }
    }
    // ASCII only: a byte is a character.
    out.truncate(IDENT_LIMIT);
    match out.chars().next() {
        Some(c) if c.is_ascii_uppercase() => out,
        _ => format!("Class{out}"),
    }
}

/// Unique short names for the classes, in order.
fn idents(ledger: &Ledger) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut taken = std::collections::HashSet::new();
    for c in &ledger.classes {
        let base = ident_of(&c.class.item.name);
        let mut name = base.clone();
        let mut n = 2u32;
        while taken.contains(&name) {
            name = format!("{base}{n}");
            n = n.saturating_add(1);
        }
        taken.insert(name.clone());
        out.push(name);
    }
    out
}

/// The display name of each class: OCF's name, with the OCF id added where
/// two classes share a name (a charter tells its classes apart by name).
fn displays(ledger: &Ledger) -> Vec<String> {
    let names: Vec<&str> = ledger
        .classes
        .iter()
        .map(|c| c.class.item.name.as_str())
        .collect();
    ledger
        .classes
        .iter()
        .map(|c| {
            let name = &c.class.item.name;
            if names.iter().filter(|n| **n == name).count() > 1 {
                format!("{name} ({})", c.class.item.id)
            } else {
                name.clone()
            }
        })
        .collect()
}

/// A multiple as the language writes it: `2x`.
pub fn multiple(d: Decimal) -> String {
    format!("{}x", d.normalize())
}

/// Writes the charter the package describes.
pub fn charter(package: &Package, ledger: &Ledger) -> (String, usize) {
    let mut w = Writer {
        out: String::new(),
        pending: Vec::new(),
        gaps: 0,
        package,
        ledger,
        idents: idents(ledger),
        displays: displays(ledger),
        priced: vec![None; ledger.classes.len()],
        converts: Vec::new(),
    };
    if let Some(blocks) = carried::blocks(package) {
        with_carried(&mut w, &blocks);
        return (w.out, w.gaps);
    }
    preamble(&mut w);
    for i in 0..ledger.classes.len() {
        stock::block(&mut w, i);
    }
    safes::safes(&mut w);
    stock::holders(&mut w);
    stock::pools(&mut w);
    terms::liquidation(&mut w);
    terms::conversion(&mut w);
    terms::antidilution(&mut w);
    terms::dividends(&mut w);
    terms::voting(&mut w);
    unplaced(&mut w);
    (w.out, w.gaps)
}

/// The charter a charter's own export describes: its carried header and
/// blocks as written, its classes with OCF's figures, and its holders and
/// pools from OCF.
fn with_carried(w: &mut Writer, blocks: &[String]) {
    opening(w);
    let stocks: Vec<Option<String>> = (0..w.ledger.classes.len())
        .map(|i| carried::stock_text(w, i))
        .collect();
    for (i, text) in stocks.iter().enumerate() {
        if let (Some(id), Some(slot)) = (
            text.as_deref().and_then(carried::ident),
            w.idents.get_mut(i),
        ) {
            *slot = id;
        }
    }
    let (headers, rest): (Vec<&String>, Vec<&String>) =
        blocks.iter().partition(|b| carried::is_header(b));
    let (pools, rest): (Vec<&String>, Vec<&String>) =
        rest.into_iter().partition(|b| carried::is_pool(b));
    for b in headers {
        w.out.push_str(b);
        w.out.push_str("\n\n");
    }
    for (i, text) in stocks.iter().enumerate() {
        match text {
            Some(t) => carried::stock_block(w, i, t),
            None => stock::block(w, i),
        }
    }
    stock::holders(w);
    carried::pools(w, &pools);
    for b in rest {
        w.out.push_str(b);
        w.out.push_str("\n\n");
    }
    unplaced(w);
}

/// The opening comment: where the charter was imported from.
fn opening(w: &mut Writer) {
    let p = w.package;
    let _ = writeln!(
        w.out,
        "# Imported by `charter import ocf` from {}",
        printable(&p.origin)
    );
    if let Some(m) = &p.manifest {
        let _ = writeln!(
            w.out,
            "# (OCF {}, as of {}).",
            printable(&m.ocf_version),
            printable(&m.as_of)
        );
    }
}

/// The opening comment and the `charter` header.
fn preamble(w: &mut Writer) {
    opening(w);
    let p = w.package;
    w.out.push_str(concat!(
        "# Each figure names the OCF object it comes from. Each `todo` is a term\n",
        "# OCF does not state: replace it with the clause the certificate of\n",
        "# incorporation states. `charter check` lists the ones left.\n\n",
    ));
    let name = p.manifest.as_ref().map(|m| m.issuer.legal_name.clone());
    let shown = name
        .clone()
        .unwrap_or_else(|| "Issuer not named".to_string());
    let _ = writeln!(w.out, "charter \"{}\" {{", quotable(&shown));
    match &p.manifest {
        Some(m) => {
            let i = &m.issuer;
            let place = match (
                i.country_of_formation.as_str(),
                i.country_subdivision_of_formation.as_deref(),
            ) {
                ("US", Some(code)) => super::states::name(code).map(str::to_string),
                _ => None,
            };
            match place {
                Some(state) => w.line(1, &format!("jurisdiction \"{state}\""), "issuer: country_subdivision_of_formation"),
                None => w.gap(format!(
                    "the jurisdiction: the issuer was formed in {}{}, which the import does not name; add `jurisdiction \"...\"` to the charter block",
                    i.country_of_formation,
                    i.country_subdivision_of_formation.as_deref().map(|s| format!("-{s}")).unwrap_or_default()
                )),
            }
        }
        None => {
            w.gap("the issuer's name and jurisdiction: a single OCF file names neither; correct the charter block's name and add `jurisdiction \"...\"`");
        }
    }
    w.out.push_str("}\n");
    w.gap("the filing date: OCF does not record when the certificate of incorporation was filed; add `filed YYYY-MM-DD` to the charter block");
    w.flush();
    w.out.push('\n');
}

/// Transactions that could not be placed, and those read without bearing.
fn unplaced(w: &mut Writer) {
    if !w.ledger.gaps.is_empty() {
        w.out.push_str(
            "\n# OCF objects the import could not place: decide each, then remove the line.\n",
        );
        for g in w.ledger.gaps.clone() {
            w.gap(g);
        }
        w.flush();
    }
    if !w.ledger.unread.is_empty() {
        w.out
            .push_str("\n# Read without bearing on the charter's economics:\n");
        for (kind, n) in &w.ledger.unread {
            let _ = writeln!(w.out, "#   {n} {kind}");
        }
    }
}
