//! Stage 2: syntax tree → checked IR.
//!
//! Resolves names, derives ranks, computes per-share amounts and validates
//! everything a charter file must get right. It reports every problem in the
//! file in one run, not just the first.

mod antidilution;
mod conversion;
mod dividends;
mod expect;
mod groups;
mod names;
mod notes;
pub mod readings;
mod redemption;
mod safes;
mod seniority;
mod stock;
mod terms;
mod voting;

pub use voting::unknown_action;

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostic::{Kind, Problem, Problems, Source, attach};
use crate::ir::{self, Charter, Suite};
use crate::syntax::ast::{self, Item, Span, Spanned};

/// What the checker carries while it walks the file.
pub struct Ctx<'a> {
    text: &'a str,
    names: names::Names,
    problems: Problems,
    /// Each clause's text on one line, by its span and own section, made
    /// once however many classes the clause names.
    clauses: HashMap<(usize, usize, Option<usize>), Arc<str>>,
}

impl Ctx<'_> {
    /// Resolves one class name, recording the problem if it is unknown.
    fn resolve_one(&mut self, name: &Spanned<String>) -> Option<ir::ClassId> {
        match self.names.resolve(name) {
            Ok(id) => Some(id),
            Err(p) => {
                self.problems.push(p);
                None
            }
        }
    }

    /// Resolves class names, recording a problem for each unknown one.
    fn resolve_ids(&mut self, names: &[Spanned<String>]) -> Vec<ir::ClassId> {
        self.names
            .resolve_all(names, &mut self.problems)
            .into_iter()
            .map(|x| x.0)
            .collect()
    }
}

/// The problem for a clause that counts from the original issue date of a
/// class whose `stock` block states none; `why` says what counts from it.
pub fn missing_issue_date(class: &ir::Class, span: Span, why: &str) -> Problem {
    Problem::new(
        Kind::MissingField {
            class: class.name.clone(),
            field: "original issue date".to_string(),
        },
        span,
        why.to_string(),
    )
    .with_help("add `issued YYYY-MM-DD` to the class's `stock` block")
}

/// The one block of a kind in the file, with its span (the first, if the
/// file repeats it: the duplicate is reported where blocks are counted).
fn find_block<'a, T>(
    items: &'a [Spanned<Item>],
    pick: fn(&'a Item) -> Option<&'a T>,
) -> Option<(&'a T, Span)> {
    items
        .iter()
        .find_map(|i| pick(&i.node).map(|b| (b, i.span)))
}

/// The citation of a clause at `span`: its own section, else its block's.
fn cite_of(ctx: &mut Ctx, span: Span, own: &ast::Cite, block: &ast::Cite) -> ir::Cite {
    let section = own
        .as_ref()
        .or(block.as_ref())
        .map(|s| Arc::from(s.node.as_str()));
    // The own section is known by where it is written.
    let key = (span.start, span.end, own.as_ref().map(|s| s.span.start));
    let clause = match ctx.clauses.get(&key) {
        Some(c) => Arc::clone(c),
        None => {
            let c: Arc<str> = clause_text(ctx.text, span, own).into();
            ctx.clauses.insert(key, Arc::clone(&c));
            c
        }
    };
    ir::Cite {
        section,
        span,
        clause,
    }
}

/// The clause at `span` on one line, without comments or its trailing
/// citation, shortened for explanations.
fn clause_text(text: &str, span: Span, own: &ast::Cite) -> String {
    let raw = text.get(span.start..span.end).unwrap_or("");
    // The clause on one line, without comments or its trailing citation.
    let mut clause: String = raw
        .lines()
        .map(uncommented)
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(s) = own {
        if let Some(i) = clause.rfind(&format!("§ {}", s.node)) {
            clause.truncate(i);
        } else if let Some(i) = clause.rfind(&format!("section {}", s.node)) {
            clause.truncate(i);
        }
    }
    shortened(clause.trim())
}

/// The most characters of a clause an explanation repeats: every class a
/// clause names carries its text, so a clause naming thousands of series
/// must not be copied whole into each (the span still covers all of it).
const CLAUSE_SHOWN: usize = 240;

/// `clause`, cut after [`CLAUSE_SHOWN`] characters at a space, with `…`.
fn shortened(clause: &str) -> String {
    match clause.char_indices().nth(CLAUSE_SHOWN) {
        None => clause.to_string(),
        Some((cut, _)) => {
            let head = clause.get(..cut).unwrap_or(clause);
            let head = head
                .rfind(' ')
                .map_or(head, |i| head.get(..i).unwrap_or(head));
            format!("{head} …")
        }
    }
}

/// A line of a clause without its `#` comment (a `#` in a quoted name is
/// not one).
fn uncommented(line: &str) -> &str {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '#' if !quoted => return line.get(..i).unwrap_or(line),
            _ => {}
        }
    }
    line
}

/// Parses and checks a charter file: the whole front end in one call.
pub fn load(source: &Source) -> Result<Charter, Problems> {
    load_with(source, &[])
}

/// Parses and checks a charter file under the readings `choices` pick where
/// the file offers several (its own elsewhere).
pub fn load_with(source: &Source, choices: &[readings::Chosen]) -> Result<Charter, Problems> {
    load_suite_with(source, choices).map(|(c, _)| c)
}

/// Parses and checks a charter file, keeping its `expect` and `snapshot`
/// blocks.
pub fn load_suite(source: &Source) -> Result<(Charter, Suite), Problems> {
    load_suite_with(source, &[])
}

/// [`load_suite`] under the readings `choices` pick.
pub fn load_suite_with(
    source: &Source,
    choices: &[readings::Chosen],
) -> Result<(Charter, Suite), Problems> {
    let file = crate::syntax::parse_file(&source.text).map_err(|p| attach(vec![p], source))?;
    check_suite(source, &file, choices).map_err(|ps| attach(ps, source))
}

/// Parses and checks a companion `NAME.charter.test` file against its
/// charter.
pub fn load_companion(charter: &Charter, source: &Source) -> Result<Suite, Problems> {
    let file = crate::syntax::parse_test_file(&source.text).map_err(|p| attach(vec![p], source))?;
    let mut problems = Vec::new();
    // Choosing a reading lowers the charter again, from its own file.
    let variant = |chosen: &[readings::Chosen]| -> Result<Charter, Problems> {
        Err(chosen
            .iter()
            .map(|c| {
                Problem::new(
                    Kind::Unsupported("a companion file cannot choose a reading yet".to_string()),
                    c.reading.span,
                    "a reading chosen here",
                )
                .with_help("move this `expect` block into the charter file, where the readings are offered")
            })
            .collect())
    };
    let suite = expect::lower(charter, source, &file.items, &variant, &mut problems);
    if problems.is_empty() {
        Ok(suite)
    } else {
        Err(attach(problems, source))
    }
}

/// Checks a parsed file and lowers it to the IR.
pub fn check(source: &Source, file: &ast::File) -> Result<Charter, Problems> {
    check_suite(source, file, &[]).map(|(c, _)| c)
}

/// Checks a parsed file and lowers it, with its expectations and snapshots.
pub fn check_suite(
    source: &Source,
    file: &ast::File,
    choices: &[readings::Chosen],
) -> Result<(Charter, Suite), Problems> {
    let charter = check_charter(source, file, choices)?;
    let mut problems = Vec::new();
    // An `expect` under other readings runs on the charter lowered under
    // them (and the file's choices for the rest).
    let variant = |chosen: &[readings::Chosen]| {
        let mut all: Vec<readings::Chosen> = choices
            .iter()
            .filter(|c| !chosen.iter().any(|x| x.reading.node == c.reading.node))
            .cloned()
            .collect();
        all.extend(chosen.iter().cloned());
        check_charter(source, file, &all)
    };
    let suite = expect::lower(&charter, source, &file.items, &variant, &mut problems);
    if problems.is_empty() {
        Ok((charter, suite))
    } else {
        Err(problems)
    }
}

/// Every `stock` block lowered to a class and its names registered; a name
/// that only looks Latin, or is taken, is reported.
fn declare_classes(ctx: &mut Ctx, items: &[Spanned<Item>]) -> Vec<ir::Class> {
    let mut classes = Vec::new();
    for item in items {
        let (class, ident, display) = match &item.node {
            Item::Stock(s) => (stock::class(ctx, s, item.span), &s.ident, &s.display),
            Item::Safe(s) => (safes::class(ctx, s, item.span), &s.ident, &s.display),
            Item::Note(n) => (notes::class(ctx, n, item.span), &n.ident, &n.display),
            _ => continue,
        };
        {
            let id = classes.len();
            for name in [Some(ident), display.as_ref()].into_iter().flatten() {
                if let Some((found, like)) = crate::diagnostic::lookalike(&name.node) {
                    ctx.problems.push(
                        Problem::new(
                            Kind::Lookalike {
                                name: name.node.clone(),
                                found,
                                like,
                            },
                            name.span,
                            crate::diagnostic::lookalike_help(found, like),
                        )
                        .with_help(format!(
                            "retype it as `{like}`: clauses and statements that write the name in plain letters would not find this class"
                        )),
                    );
                }
                if let Some(other) = ctx.names.insert(&name.node, id) {
                    let first: Option<&ir::Class> = classes.get(other);
                    let mut p = Problem::new(
                        Kind::DuplicateClass(name.node.clone()),
                        name.span,
                        "declared again here",
                    )
                    .with_help("give each class its own short name and display name");
                    if let Some(f) = first {
                        p = p.with_note(f.span, "first declared here");
                    }
                    ctx.problems.push(p);
                }
            }
            classes.push(class);
        }
    }
    classes
}

/// Checks the provisions of a parsed file and lowers them to the IR.
fn check_charter(
    source: &Source,
    file: &ast::File,
    choices: &[readings::Chosen],
) -> Result<Charter, Problems> {
    let mut ctx = Ctx {
        text: &source.text,
        names: names::Names::default(),
        problems: Vec::new(),
        clauses: HashMap::new(),
    };
    let (file, readings) = readings::select(file, choices, &mut ctx.problems);
    let file: &ast::File = &file;
    let OnceOnly {
        header,
        liquidation,
        conversion,
    } = once_only(&mut ctx, file);

    for item in &file.items {
        if let Item::Todo(gap) = &item.node {
            ctx.problems.push(
                Problem::new(Kind::Todo(gap.node.clone()), gap.span, "to be stated")
                    .with_help("replace this line with the clause the charter states; an import writes `todo` where its source cannot say"),
            );
        }
    }
    // Classes first, so that every clause can refer to any class.
    let classes = declare_classes(&mut ctx, &file.items);

    let mut holders = Vec::new();
    let mut pools = Vec::new();
    let mut declared_groups = Vec::new();
    for item in &file.items {
        match &item.node {
            Item::Holders(hs) => holders.extend(stock::holders(&mut ctx, &classes, hs)),
            Item::Pool(p) => pools.extend(stock::pool(&mut ctx, p, item.span)),
            Item::Group(g) => declared_groups.push((g, item.span)),
            _ => {}
        }
    }
    let groups = groups::groups(&mut ctx, (&classes, &holders, &pools), &declared_groups);
    let mut classes = classes;
    safes::convert(&mut ctx, &mut classes, &pools);

    let liquidation_terms = terms::liquidation(&mut ctx, &classes, liquidation);
    let events = deemed(&mut ctx, &classes, &liquidation_terms, &file.items);
    let conv = conversion::rights(&mut ctx, &classes, conversion);
    let antidilution = antidilution::blocks(&mut ctx, &classes, &file.items);
    let voting = voting::voting(&mut ctx, &classes, &file.items);
    let dividends = dividends::dividends(&mut ctx, &classes, &file.items);
    let redemption = redemption::redemption(&mut ctx, &classes, &file.items);
    let protective =
        voting::protective(&mut ctx, &classes, &holders, voting.is_some(), &file.items);
    let mut all_terms = vec![&liquidation_terms];
    all_terms.extend(events.iter().map(|e| &e.terms));
    conversion::check_condition_ratios(&mut ctx, &classes, &all_terms);

    let header = match header.map(|h| &h.node) {
        Some(Item::Header(h)) => Some(h),
        _ => None,
    };
    check_header(&mut ctx, header);
    if !ctx.problems.is_empty() {
        let mut problems = ctx.problems;
        // Causes before their consequences: a misspelt name (`preference
        // Sead:`) explains the "no preference" reported for the class it
        // meant, so names are reported first, then the rest in file order.
        problems.sort_by_key(|p| (!p.kind.is_cause(), p.span.start, p.span.end));
        return Err(problems);
    }
    let header = header.ok_or_else(Vec::new)?;
    Ok(Charter {
        source: source.clone(),
        company: header.company.node.clone(),
        filed: header.filed.as_ref().map(|f| f.node),
        jurisdiction: header.jurisdiction.as_ref().map(|j| j.node.clone()),
        classes,
        holders,
        pools,
        groups,
        liquidation: liquidation_terms,
        events,
        conversion: conv,
        antidilution,
        voting,
        protective,
        dividends,
        redemption,
        readings,
    })
}

/// The blocks a charter states once (a second is a problem): the header, and
/// the liquidation and conversion blocks, which are read whole.
fn once_only<'f>(ctx: &mut Ctx, file: &'f ast::File) -> OnceOnly<'f> {
    let mut header: Option<&Spanned<ast::Item>> = None;
    let mut liquidation: Option<(&ast::Liquidation, Span)> = None;
    let mut conversion: Option<&ast::Conversion> = None;
    let mut first_span: Vec<(&str, Span)> = Vec::new();
    for item in &file.items {
        let key = match &item.node {
            Item::Header(_) => "charter",
            Item::Liquidation(_) => "liquidation",
            Item::Conversion(_) => "conversion",
            Item::Voting(_) => "voting",
            Item::Dividends(_) => "dividends",
            Item::Redemption(_) => "redemption",
            _ => continue,
        };
        if let Some((_, first)) = first_span.iter().find(|(k, _)| *k == key) {
            ctx.problems.push(
                Problem::new(
                    Kind::Duplicate(format!("the `{key}` block")),
                    item.span,
                    "a second block",
                )
                .with_note(*first, "the first")
                .with_help("merge the two blocks into one"),
            );
            continue;
        }
        first_span.push((key, item.span));
        match &item.node {
            Item::Header(_) => header = Some(item),
            Item::Liquidation(l) => liquidation = Some((l, item.span)),
            Item::Conversion(c) => conversion = Some(c),
            _ => {}
        }
    }
    OnceOnly {
        header,
        liquidation,
        conversion,
    }
}

/// The blocks a charter states once, where it states them.
struct OnceOnly<'f> {
    header: Option<&'f Spanned<ast::Item>>,
    liquidation: Option<(&'f ast::Liquidation, Span)>,
    conversion: Option<&'f ast::Conversion>,
}

/// The deemed liquidation events, each under its own name.
fn deemed(
    ctx: &mut Ctx,
    classes: &[ir::Class],
    liquidation: &ir::Terms,
    items: &[Spanned<Item>],
) -> Vec<ir::Event> {
    let mut events: Vec<ir::Event> = Vec::new();
    for item in items {
        if let Item::Deemed(d) = &item.node {
            if events.iter().any(|e| e.name == d.name.node) {
                ctx.problems.push(Problem::new(
                    Kind::Duplicate(format!("the deemed liquidation \"{}\"", d.name.node)),
                    d.name.span,
                    "named again here",
                ));
                continue;
            }
            events.push(terms::event(ctx, classes, liquidation, d, item.span));
        }
    }
    events
}

/// The header must be there, and state when the charter was filed.
fn check_header(ctx: &mut Ctx, header: Option<&ast::Header>) {
    if let Some(h) = header
        && h.filed.is_none()
    {
        ctx.problems.push(
                Problem::new(
                    Kind::MissingField {
                        class: h.company.node.clone(),
                        field: "filing date".to_string(),
                    },
                    h.company.span,
                    "when was the charter filed?",
                )
                .with_help("add `filed YYYY-MM-DD` to the `charter` block: queries without a date are answered as of the filing date"),
            );
    }
    if header.is_none() {
        ctx.problems.push(
            Problem::new(Kind::MissingHeader, Span::new(0, 0), "the file starts here")
                .with_help("begin the file with `charter \"Company, Inc.\" { filed 1999-09-24  jurisdiction Delaware }`"),
        );
    }
}
