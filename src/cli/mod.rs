//! The command line: `charter check`, `charter payout`, `charter query`,
//! `charter approve`, `charter repl`, and the interpretation tests
//! `charter test` and `charter snapshot` ([`tests`]).

mod approve;
mod args;
mod exits;
mod interchange;
mod tests;
mod typed;

pub use args::{Cli, Command, ExportTo, Figures, Format, ImportFrom};

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::check::readings::Chosen;
use crate::diagnostic::{Kind, Problem, Problems, Source};
use crate::ir::Charter;
use crate::query::Session;
use crate::render;

/// The readings chosen on the command line, as written.
static READINGS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();

/// Reads and checks a charter file, under the readings chosen with
/// `--reading`.
pub fn load(path: &Path) -> Result<Charter, Problems> {
    let text = crate::input::read(path)?;
    let source = Source::new(path.display().to_string(), text);
    let charter = crate::check::load(&source)?;
    match chosen(&charter)? {
        Some(choices) => crate::check::load_with(&source, &choices),
        None => Ok(charter),
    }
}

/// Checks the file under every alternative of each reading it offers (one
/// reading changed at a time), so that an alternative not taken is checked
/// too.
fn every_reading(path: &Path, charter: &Charter) -> Result<(), Problems> {
    if charter.readings.is_empty() {
        return Ok(());
    }
    let text = crate::input::read(path)?;
    let source = Source::new(path.display().to_string(), text);
    for r in &charter.readings {
        for (i, alt) in r.alternatives.iter().enumerate() {
            if i == r.chosen {
                continue;
            }
            let choice = Chosen {
                reading: crate::syntax::ast::Spanned {
                    node: r.name.clone(),
                    span: r.span,
                },
                alternative: crate::syntax::ast::Spanned {
                    node: alt.clone(),
                    span: r.span,
                },
            };
            crate::check::load_suite_with(&source, &[choice])?;
        }
    }
    Ok(())
}

/// The `--reading` choices, checked against the readings `charter` offers;
/// `None` when there are none. Each argument's problems point into it.
pub fn chosen(charter: &Charter) -> Result<Option<Vec<Chosen>>, Problems> {
    let args = READINGS.get().map(Vec::as_slice).unwrap_or(&[]);
    if args.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for arg in args {
        let source = Source::new("--reading", arg.as_str());
        let Some(c) = crate::check::readings::parse_choice(arg) else {
            return Err(crate::diagnostic::attach(
                vec![Problem::new(
                    Kind::Syntax("a reading is chosen as READING=ALTERNATIVE".to_string()),
                    crate::ir::Span::new(0, arg.len()),
                    "no `=` here",
                )
                .with_help("write `--reading 'day count=actual/actual'`; `charter check FILE` lists the readings the file offers")],
                &source,
            ));
        };
        let mut offered = charter.readings.clone();
        let mut problems = Vec::new();
        crate::check::readings::choose(&mut offered, std::slice::from_ref(&c), &mut problems);
        if !problems.is_empty() {
            return Err(crate::diagnostic::attach(problems, &source));
        }
        out.push(c);
    }
    Ok(Some(out))
}

/// `charter check FILE`: a companion `.charter.test` is checked with its
/// charter, and a charter with its companion, if it has one; every reading
/// the file offers is checked too.
fn check(file: &Path) -> Result<ExitCode, Problems> {
    let file = tests::charter_of(file);
    let (c, suites) = tests::load(&file)?;
    let expectations: usize = suites.iter().map(|s| s.expectations.len()).sum();
    let snapshots: usize = suites.iter().map(|s| s.snapshots.len()).sum();
    let mut extra = String::new();
    let count = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "es" });
    let plural = |n: usize, word: &str| format!(", {n} {word}{}", if n == 1 { "" } else { "s" });
    if expectations > 0 {
        extra.push_str(&plural(expectations, "expectation"));
    }
    if snapshots > 0 {
        extra.push_str(&plural(snapshots, "snapshot"));
    }
    every_reading(&file, &c)?;
    crate::outln!(
        "{}: {}{extra}, no problems found",
        crate::diagnostic::shown_path(&file),
        count(c.classes.len(), "class")
    );
    crate::out!("{}", render::readings(&c.readings));
    Ok(ExitCode::SUCCESS)
}

/// Runs the command line; the exit code is 0 on success, 1 on any problem.
pub fn main(cli: Cli) -> ExitCode {
    let _ = READINGS.set(cli.readings.clone());
    let color = std::io::IsTerminal::is_terminal(&std::io::stderr());
    // Answers use the terminal's width; piped, they keep 80 columns.
    // (A terminal that reports no size keeps 80.)
    if let Some((terminal_size::Width(w @ 20..), _)) =
        terminal_size::terminal_size_of(std::io::stdout())
    {
        render::set_width(usize::from(w));
    }
    let fail = |problems: Problems| {
        crate::err!("{}", render::diagnostics::render(&problems, color));
        ExitCode::from(1)
    };
    match cli.command {
        Command::Check { file } => check(&file).unwrap_or_else(fail),
        Command::Query {
            file,
            statements,
            format,
        } => typed::statements("statement", &statements)
            .and_then(|()| run(&file, &statements, format.get()))
            .unwrap_or_else(fail),
        command @ (Command::Payout { .. }
        | Command::Breakpoints { .. }
        | Command::Curve { .. }
        | Command::Solve { .. }
        | Command::Compare { .. }
        | Command::Chart { .. }
        | Command::Value { .. }) => exits::command(command).unwrap_or_else(fail),
        Command::Import { from } => interchange::import(from).unwrap_or_else(fail),
        Command::Export { to } => interchange::export(to).unwrap_or_else(fail),
        Command::Repl { file } => crate::repl::main(file),
        Command::Serve { path, port } => {
            let path = path.unwrap_or_else(|| PathBuf::from("."));
            match crate::server::serve(&path, port) {
                Ok(()) => ExitCode::SUCCESS,
                Err(p) => fail(p),
            }
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "charter", &mut script);
            crate::out!("{}", String::from_utf8_lossy(&script));
            ExitCode::SUCCESS
        }
        Command::Init { name } => init(&name).unwrap_or_else(fail),
        Command::Test { paths, format } => {
            tests::test(&paths, format.get() == Format::Json, crate::output::color())
        }
        Command::Snapshot {
            paths,
            update,
            review,
        } => tests::snapshot(
            &paths,
            tests::Mode::from_flags(update, review),
            crate::output::color(),
        ),
        Command::Approve {
            file,
            action,
            yes,
            at,
            on,
            affecting,
            keep,
            format,
        } => {
            let facts = approve::Facts {
                yes: yes.as_deref(),
                at: at.as_deref(),
                on: on.as_deref(),
                affecting: affecting.as_deref(),
                keep: keep.as_deref(),
            };
            approve::approve(&file, &action, &facts, format.get()).unwrap_or_else(|p| {
                fail(p);
                ExitCode::from(approve::PROBLEM)
            })
        }
    }
}

/// The template `charter init` writes.
const TEMPLATE: &str = include_str!("template.charter");

/// `charter init NAME`: writes `NAME.charter` from the template, never over
/// an existing file.
fn init(name: &str) -> Result<ExitCode, Problems> {
    let file = if name.ends_with(".charter") {
        PathBuf::from(name)
    } else {
        PathBuf::from(format!("{name}.charter"))
    };
    let company = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut title: Vec<char> = company.chars().collect();
    if let Some(c) = title.first_mut() {
        *c = c.to_ascii_uppercase();
    }
    let text = TEMPLATE.replace(
        "NAME",
        &title.into_iter().collect::<String>().replace('"', ""),
    );
    let unwritable = |reason: String| {
        vec![Problem::new(
            Kind::Unwritable {
                path: file.display().to_string(),
                reason,
            },
            Default::default(),
            "",
        )]
    };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&file)
        .map_err(|e| {
            let reason = if e.kind() == std::io::ErrorKind::AlreadyExists {
                "it already exists, and `init` never writes over a file".to_string()
            } else {
                crate::diagnostic::io_reason(&e)
            };
            unwritable(reason)
        })?;
    std::io::Write::write_all(&mut f, text.as_bytes())
        .map_err(|e| unwritable(crate::diagnostic::io_reason(&e)))?;
    crate::outln!(
        "wrote {0}: `charter check {0}`, then `charter payout {0} '$10M'`",
        crate::diagnostic::shown_path(&file)
    );
    Ok(ExitCode::SUCCESS)
}

/// Reads each amount argument on its own, so that an empty or mangled one
/// (see [`crate::num::shell_remains`]) is reported as the argument it is.
fn amounts(args: &[(&str, &str)]) -> Result<(), Problems> {
    for (name, text) in args {
        if let Err(p) = crate::syntax::parse_amount_text(text) {
            return Err(crate::diagnostic::attach(
                vec![p],
                &Source::new(*name, *text),
            ));
        }
    }
    Ok(())
}

/// A statement with ` as "EVENT"` added for `--event`.
fn with_event(statement: String, event: Option<String>) -> Result<String, Problems> {
    match event {
        Some(e) if e.contains('"') => {
            let at = e.find('"').unwrap_or(0);
            let source = Source::new("--event", e.as_str());
            Err(crate::diagnostic::attach(
                vec![
                    Problem::new(Kind::UnknownEvent(e.clone()), crate::ir::Span::new(at, at.saturating_add(1)), "a quotation mark")
                        .with_help("event names do not contain quotation marks: write `--event \"Liquidation Transaction\"` in the shell's quotes, or `--event merger`"),
                ],
                &source,
            ))
        }
        Some(e) => Ok(format!("{statement} as \"{e}\"")),
        None => Ok(statement),
    }
}

/// Runs statements in order, printing each answer as it comes; stops at the
/// first problem.
pub(crate) fn run(
    file: &Path,
    statements: &[String],
    format: Format,
) -> Result<ExitCode, Problems> {
    let charter = load(file)?;
    let mut session = Session::new(&charter);
    for (i, statement) in statements.iter().enumerate() {
        let answer = session.run(&format!("statement {}", i.saturating_add(1)), statement)?;
        if format == Format::Table && i > 0 {
            crate::outln!();
        }
        crate::out!("{}", shown(&answer, &session, format));
    }
    Ok(ExitCode::SUCCESS)
}

/// An answer as the command line prints it: a table and its explanation,
/// or one line of JSON.
pub(crate) fn shown(answer: &crate::query::Answer, session: &Session, format: Format) -> String {
    match format {
        Format::Table => render::text(answer, session),
        Format::Json => format!("{}\n", render::json(answer, session)),
    }
}
