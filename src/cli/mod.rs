//! The command line: `charter check`, `charter payout`, `charter query`,
//! `charter approve`, `charter repl`, and the interpretation tests
//! `charter test` and `charter snapshot` ([`tests`]).

mod approve;
mod tests;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::check::readings::Chosen;
use crate::diagnostic::{Kind, Problem, Problems, Source};
use crate::ir::Charter;
use crate::query::Session;
use crate::render;

/// Reads corporate charters written in the charter language and answers
/// questions about them.
#[derive(Debug, Parser)]
#[command(name = "charter", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Read the charter under another of the readings its file offers,
    /// `--reading 'day count=actual/actual'` (repeatable); `charter check`
    /// lists them.
    #[arg(long = "reading", global = true, value_name = "READING=ALTERNATIVE")]
    pub readings: Vec<String>,
}

/// The readings chosen on the command line, as written.
static READINGS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();

/// Output formats.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Aligned tables and an explanation.
    Table,
    /// JSON: one object per answer, each on its own line.
    Json,
}

/// Output formats of the figures-only commands (`payout`, `breakpoints`, `curve`).
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Figures {
    /// Aligned tables and an explanation.
    Table,
    /// One JSON object.
    Json,
    /// Comma-separated values with a header row.
    Csv,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a charter file and report every problem in it.
    Check {
        /// The `.charter` file.
        file: PathBuf,
    },
    /// Who receives what when the company is sold or liquidated.
    Payout {
        /// The `.charter` file.
        file: PathBuf,
        /// Amount distributed: `50M`, `1.5B`, `750K`, `50000000`, or with a
        /// dollar sign in single quotes (`'$50M'`).
        #[arg(allow_hyphen_values = true)]
        amount: String,
        /// A deemed liquidation event (`merger`, `asset-sale`, or its name in the charter).
        #[arg(long)]
        event: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Figures,
    },
    /// Every exit value at which a payout bends (or jumps), why, and who
    /// takes the next dollar.
    Breakpoints {
        /// The `.charter` file.
        file: PathBuf,
        /// A deemed liquidation event (`merger`, `asset-sale`, or its name in the charter).
        #[arg(long)]
        event: Option<String>,
        /// Only the breakpoints up to this exit (`100M`).
        #[arg(long, allow_hyphen_values = true)]
        to: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Figures,
    },
    /// Payouts per class, pool and named holder along a range of exits,
    /// written row by row.
    Curve {
        /// The `.charter` file.
        file: PathBuf,
        /// The first exit: `0`, `10M`.
        #[arg(allow_hyphen_values = true)]
        from: String,
        /// The last exit: `200M`.
        #[arg(allow_hyphen_values = true)]
        to: String,
        /// So many equal steps (100 unless `--by` is given).
        #[arg(long, conflicts_with = "by")]
        steps: Option<u64>,
        /// A fixed step: `1M`.
        #[arg(long, allow_hyphen_values = true)]
        by: Option<String>,
        /// A deemed liquidation event (`merger`, `asset-sale`, or its name in the charter).
        #[arg(long)]
        event: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Figures,
    },
    /// Print a shell's completion script: `charter completions bash >
    /// ~/.local/share/bash-completion/completions/charter`.
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Write a commented template of a one-series charter, NAME.charter,
    /// that checks clean and explains each block.
    Init {
        /// The file's name (and the company's): `acme` writes `acme.charter`.
        #[arg(default_value = "company")]
        name: String,
    },
    /// Ask a charter questions interactively.
    Repl {
        /// The `.charter` file to load.
        file: Option<PathBuf>,
    },
    /// Whose consent an action needs and, given the votes, whether it passes.
    Approve {
        /// The `.charter` file.
        file: PathBuf,
        /// The action: `merger`, `asset-sale`, `create-senior-stock`, ...
        action: String,
        /// The votes for, as the statement writes them after `with`:
        /// `'Series A 100%, F 60% and "Fund, L.P." yes'`; or
        /// `'Series A=100%,F=60%,Fund L.P.=yes'`.
        #[arg(long)]
        yes: Option<String>,
        /// The price per share the action pays (`5.00`), for provisions
        /// that depend on it.
        #[arg(long)]
        at: Option<String>,
        /// The date of the action (`2003-06-30`).
        #[arg(long)]
        on: Option<String>,
        /// The series the action affects differently: `'C, D'`.
        #[arg(long)]
        affecting: Option<String>,
        /// The share of the surviving entity the stockholders keep (`60%`),
        /// for consents a merger needs only when they do not keep control.
        #[arg(long)]
        keep: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Run the `expect` blocks of charters, and of their companion
    /// `NAME.charter.test` files; the last line is `N passed, M failed`.
    Test {
        /// Charter files, their `.charter.test` files, or folders to search
        /// for `.charter` files (the current folder if none).
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Compare the answers of `snapshot` blocks with those recorded in
    /// `NAME.charter.snap` beside each charter, and show each difference.
    Snapshot {
        /// Charter files or folders (the current folder if none).
        paths: Vec<PathBuf>,
        /// Record every answer as it now is.
        #[arg(long, conflicts_with = "review")]
        update: bool,
        /// Show each difference and ask whether to accept it.
        #[arg(long)]
        review: bool,
    },
    /// Run statements of the query language in order, each argument one
    /// statement: `charter query FILE 'issue 1_000_000 Common at $2' 'conversion prices'`.
    Query {
        /// The `.charter` file.
        file: PathBuf,
        /// The statements.
        #[arg(required = true)]
        statements: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

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
    let plural = |n: usize, word: &str| format!(", {n} {word}{}", if n == 1 { "" } else { "s" });
    if expectations > 0 {
        extra.push_str(&plural(expectations, "expectation"));
    }
    if snapshots > 0 {
        extra.push_str(&plural(snapshots, "snapshot"));
    }
    every_reading(&file, &c)?;
    crate::outln!(
        "{}: {} classes{extra}, no problems found",
        file.display(),
        c.classes.len()
    );
    crate::out!("{}", render::readings(&c.readings));
    Ok(ExitCode::SUCCESS)
}

/// The `breakpoints` statement `charter breakpoints` runs.
fn breakpoints_statement(event: Option<String>, to: Option<String>) -> Result<String, Problems> {
    amounts(&[("--to", to.as_deref().unwrap_or("0"))])?;
    let mut statement = "breakpoints".to_string();
    if let Some(e) = event {
        statement = with_event(statement, Some(e))?;
    }
    if let Some(to) = to {
        statement.push_str(&format!(" up to {to}"));
    }
    Ok(statement)
}

/// The `curve` statement `charter curve` runs.
fn curve_statement(
    from: &str,
    to: &str,
    steps: Option<u64>,
    by: Option<String>,
    event: Option<String>,
) -> Result<String, Problems> {
    let by_text = by.as_deref().unwrap_or("0");
    amounts(&[("FROM", from), ("TO", to), ("--by", by_text)])?;
    let mut statement = format!("curve {from} {to}");
    match (steps, by) {
        (_, Some(by)) => statement.push_str(&format!(" by {by}")),
        (Some(n), None) => statement.push_str(&format!(" in {n} steps")),
        (None, None) => {}
    }
    with_event(statement, event)
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
        eprint!("{}", render::diagnostics::render(&problems, color));
        ExitCode::from(1)
    };
    match cli.command {
        Command::Check { file } => check(&file).unwrap_or_else(fail),
        Command::Payout {
            file,
            amount,
            event,
            format,
        } => match amounts(&[("AMOUNT", &amount)])
            .and_then(|()| with_event(format!("payout {amount}"), event))
        {
            Ok(statement) => figures(&file, &statement, format).unwrap_or_else(fail),
            Err(p) => fail(p),
        },
        Command::Breakpoints {
            file,
            event,
            to,
            format,
        } => breakpoints_statement(event, to)
            .and_then(|statement| figures(&file, &statement, format))
            .unwrap_or_else(fail),
        Command::Curve {
            file,
            from,
            to,
            steps,
            by,
            event,
            format,
        } => curve_statement(&from, &to, steps, by, event)
            .and_then(|statement| sweep(&file, &statement, format))
            .unwrap_or_else(fail),
        Command::Query {
            file,
            statements,
            format,
        } => run(&file, &statements, format).unwrap_or_else(fail),
        Command::Repl { file } => crate::repl::main(file),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "charter", &mut script);
            crate::out!("{}", String::from_utf8_lossy(&script));
            ExitCode::SUCCESS
        }
        Command::Init { name } => init(&name).unwrap_or_else(fail),
        Command::Test { paths, format } => {
            tests::test(&paths, format == Format::Json, crate::output::color())
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
            approve::approve(&file, &action, &facts, format).unwrap_or_else(|p| {
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
        "wrote {0}: `charter check {0}`, then `charter payout {0} 10M`",
        file.display()
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

/// Runs one statement of `payout` or `breakpoints` and prints it in `format`.
fn figures(file: &Path, statement: &str, format: Figures) -> Result<ExitCode, Problems> {
    match format {
        Figures::Table => run(file, &[statement.to_string()], Format::Table),
        Figures::Json => run(file, &[statement.to_string()], Format::Json),
        Figures::Csv => {
            let charter = load(file)?;
            let mut session = Session::new(&charter);
            let answer = session.run("statement 1", statement)?;
            let text = match &answer {
                crate::query::Answer::Payout(p) => render::table::payout_csv(p),
                crate::query::Answer::Breakpoints(b) => render::curve::csv(b),
                _ => Ok(String::new()),
            };
            match text {
                Ok(t) => crate::out!("{t}"),
                Err(e) => return Err(vec![crate::output::unwritable(&e.to_string())]),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Streams a `curve` to standard output, a row at a time.
fn sweep(file: &Path, statement: &str, format: Figures) -> Result<ExitCode, Problems> {
    use std::io::Write;
    let charter = load(file)?;
    let mut session = Session::new(&charter);
    let s = session.sweep("command line", statement)?;
    let format = match format {
        Figures::Table => render::curve::SweepFormat::Table,
        Figures::Json => render::curve::SweepFormat::Json,
        Figures::Csv => render::curve::SweepFormat::Csv,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let done = render::curve::write_sweep(&s, format, &mut out).and_then(|()| Ok(out.flush()?));
    match done {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // A reader that stopped early (`| head`) is not a failure.
        Err(render::curve::SweepError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            Ok(ExitCode::SUCCESS)
        }
        Err(render::curve::SweepError::Io(e)) => Err(vec![crate::output::unwritable(
            &crate::diagnostic::io_reason(&e),
        )]),
        Err(render::curve::SweepError::Kind(k)) => {
            Err(vec![Problem::new(k, Default::default(), "")])
        }
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
