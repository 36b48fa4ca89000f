//! The commands across exits: `payout`, `breakpoints`, `curve`, `solve`,
//! `compare`.
//! Each builds the statement the REPL would take and runs it.

use std::path::Path;
use std::process::ExitCode;

use super::{Command, Figures, Format, load, run, shown, typed, with_event};
use rust_decimal::Decimal;

use crate::diagnostic::{Kind, Problem, Problems, Source};
use crate::query::Session;
use crate::render;
use crate::syntax::ast::Spanned;

/// Runs a command across exits.
pub(super) fn command(command: Command) -> Result<ExitCode, Problems> {
    match command {
        Command::Payout {
            file,
            amount,
            event,
            format,
        } => match typed::money(&[("AMOUNT", &amount)])
            .and_then(|()| with_event(format!("payout {amount}"), event))
        {
            Ok(statement) => figures(&file, &statement, format.get()),
            Err(p) => Err(p),
        },
        Command::Breakpoints {
            file,
            event,
            to,
            format,
        } => breakpoints_statement(event, to)
            .and_then(|statement| figures(&file, &statement, format.get())),
        Command::Curve {
            file,
            from,
            to,
            steps,
            by,
            event,
            format,
            force,
        } => curve_statement(&from, &to, steps, by, event)
            .and_then(|statement| sweep(&file, &statement, format.get(), force)),
        Command::Solve {
            file,
            goal,
            event,
            after,
            format,
        } => typed::part_of_statement("GOAL", "solve exit where ", &goal)
            .and_then(|()| with_event(format!("solve exit where {goal}"), event))
            .and_then(|statement| after_events(&file, &after, &statement, format.get())),
        Command::Compare {
            a,
            b,
            from,
            to,
            event,
            after,
            format,
            holders,
            chart,
            force,
        } => compare(
            &[&a, &b],
            from.zip(to),
            (event, holders),
            &after,
            (format.get(), chart.as_deref().map(|c| (c, force))),
        ),
        command @ Command::Chart { .. } => chart_command(command),
        command @ Command::Value { .. } => value_command(command),
        Command::Check { .. }
        | Command::Query { .. }
        | Command::Repl { .. }
        | Command::Serve { .. }
        | Command::Completions { .. }
        | Command::Init { .. }
        | Command::Import { .. }
        | Command::Export { .. }
        | Command::Test { .. }
        | Command::Snapshot { .. }
        | Command::Approve { .. } => Err(misrouted()),
    }
}

/// The `breakpoints` statement `charter breakpoints` runs.
fn breakpoints_statement(event: Option<String>, to: Option<String>) -> Result<String, Problems> {
    typed::money(&[("--to", to.as_deref().unwrap_or("0"))])?;
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
    typed::money(&[("FROM", from), ("TO", to), ("--by", by_text)])?;
    let mut statement = format!("curve {from} {to}");
    match (steps, by) {
        (_, Some(by)) => statement.push_str(&format!(" by {by}")),
        (Some(n), None) => statement.push_str(&format!(" in {n} steps")),
        (None, None) => {}
    }
    with_event(statement, event)
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
                crate::query::Answer::Breakpoints(b) => return breakpoints_csv(b),
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

/// Writes breakpoints as CSV to standard output, a row at a time.
fn breakpoints_csv(b: &crate::eval::breakpoints::Breakpoints) -> Result<ExitCode, Problems> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let done = render::curve::csv(b, out).and_then(|mut o| Ok(o.flush()?));
    let Err(e) = done else {
        return Ok(ExitCode::SUCCESS);
    };
    match e.kind() {
        csv::ErrorKind::Io(io) => write_failed(io),
        _ => Err(vec![crate::output::unwritable(&e.to_string())]),
    }
}

/// How a command streaming to standard output ends when a write fails: a
/// reader that stopped early (`| head`) is not a failure; anything else is
/// `unwritable`.
fn write_failed(e: &std::io::Error) -> Result<ExitCode, Problems> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return Ok(ExitCode::SUCCESS);
    }
    Err(vec![crate::output::unwritable(
        &crate::diagnostic::io_reason(e),
    )])
}

/// Streams a `curve` to standard output, a row at a time.
fn sweep(file: &Path, statement: &str, format: Figures, force: bool) -> Result<ExitCode, Problems> {
    use std::io::Write;
    let charter = load(file)?;
    let mut session = Session::new(&charter);
    let s = session.sweep("command line", statement)?;
    if !force {
        too_large(&s)?;
    }
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
        Err(render::curve::SweepError::Io(e)) => write_failed(&e),
        Err(render::curve::SweepError::Kind(k)) => {
            Err(vec![Problem::new(k, Default::default(), "")])
        }
    }
}

/// The most output `charter curve` writes without `--force`.
const CURVE_OUTPUT_LIMIT: u64 = 1 << 30;

/// Refuses a curve whose output would pass [`CURVE_OUTPUT_LIMIT`]: its
/// rows times its columns, at 12 bytes a figure (a cent amount and its
/// separator), estimated before a row is written.
fn too_large(s: &crate::eval::sweep::Sweep) -> Result<(), Problems> {
    let rows = s
        .rows()
        .map_err(|k| vec![Problem::new(k, Default::default(), "")])?;
    let columns = u64::try_from(render::curve::columns(&s.charter).len())
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let bytes = rows.saturating_mul(columns).saturating_mul(12);
    if bytes <= CURVE_OUTPUT_LIMIT {
        return Ok(());
    }
    // Bytes to gigabytes: the decimal point moved nine places.
    let gb = rust_decimal::Decimal::from_i128_with_scale(i128::from(bytes), 9);
    Err(vec![
        Problem::new(
            Kind::Unsupported(format!(
                "this curve is {} rows of {} figures, about {} GB of output",
                crate::num::group(rust_decimal::Decimal::from(rows), 0),
                columns,
                gb.round_dp(1)
            )),
            Default::default(),
            "",
        )
        .with_help(
            "add `--force` to write it all the same, or take fewer `--steps` or a larger `--by`",
        ),
    ])
}

/// Runs the `--after` statements quietly to set the scenario, then
/// `statement`, and prints its answer.
fn after_events(
    file: &Path,
    after: &[String],
    statement: &str,
    format: Format,
) -> Result<ExitCode, Problems> {
    let mut session = scenario(file, after)?;
    let answer = session.run("command line", statement)?;
    crate::out!("{}", shown(&answer, &session, format));
    Ok(ExitCode::SUCCESS)
}

/// A command-line amount, with problems pointing into the argument.
fn amount_arg(name: &str, text: &str) -> Result<Spanned<Decimal>, Problems> {
    typed::money(&[(name, text)])?;
    let at = |p: Problem| crate::diagnostic::attach(vec![p], &Source::new(name, text));
    let amount = crate::syntax::parse_amount_text(text).map_err(at)?;
    crate::eval::check_exit(&amount).map_err(at)?;
    Ok(amount)
}

/// `--event E`, with problems pointing into the argument.
fn event_arg(event: Option<String>) -> Option<Spanned<String>> {
    event.map(|e| Spanned {
        span: crate::ir::Span::new(0, e.len()),
        node: e,
    })
}

/// Loads a charter and runs the `--after` statements on it; the session.
fn scenario(file: &Path, after: &[String]) -> Result<Session, Problems> {
    typed::statements("--after", after)?;
    let charter = load(file)?;
    let mut session = Session::new(&charter);
    for (i, s) in after.iter().enumerate() {
        session.run(&format!("--after {}", i.saturating_add(1)), s)?;
    }
    Ok(session)
}

/// What a file is called in a comparison: its name, or its path where the
/// two names are the same.
fn labels(a: &Path, b: &Path) -> (String, String) {
    let name = |p: &Path| {
        p.file_name().map_or_else(
            || crate::diagnostic::shown_path(p),
            |n| crate::diagnostic::printable_line(&n.to_string_lossy()),
        )
    };
    if name(a) == name(b) {
        (a.display().to_string(), b.display().to_string())
    } else {
        (name(a), name(b))
    }
}

/// `charter compare A B [FROM TO]`.
fn compare(
    files: &[&Path; 2],
    range: Option<(String, String)>,
    (event, by_holder): (Option<String>, bool),
    after: &[String],
    (format, chart): (Figures, Option<(&Path, bool)>),
) -> Result<ExitCode, Problems> {
    if let Some((out, force)) = chart {
        svg_path(out)?;
        // Refused before the work, not after it.
        crate::output::may_write(out, force).map_err(|p| vec![p])?;
    }
    let range = match range {
        Some((f, t)) => Some((amount_arg("FROM", &f)?, amount_arg("TO", &t)?)),
        None => None,
    };
    let [a, b] = *files;
    let mut sa = scenario(a, after)?;
    let mut sb = scenario(b, after)?;
    let event_text = event.clone().unwrap_or_default();
    let event = event_arg(event);
    let on_event = |p: Problem| {
        crate::diagnostic::attach(vec![p], &Source::new("--event", event_text.as_str()))
    };
    let ca = sa.for_exits().map_err(|p| vec![p])?.clone();
    let cb = sb.for_exits().map_err(|p| vec![p])?;
    // Problems left are about the event (or an overflow, shown on it too).
    let (la, lb) = labels(a, b);
    let c = crate::analysis::compare::compare(
        (&la, &ca),
        (&lb, cb),
        range.as_ref().map(|(f, t)| (f, t)),
        event.as_ref(),
        by_holder,
        Default::default(),
    )
    .map_err(on_event)?;
    let text = match format {
        Figures::Table => Ok(render::fit(&render::analysis::comparison(&c))),
        Figures::Json => Ok(format!("{}\n", render::analysis::comparison_json(&c))),
        Figures::Csv => render::analysis::comparison_csv(&c),
    };
    match text {
        Ok(t) => crate::out!("{t}"),
        Err(e) => return Err(vec![crate::output::unwritable(&e.to_string())]),
    }
    if let Some((out, force)) = chart {
        write_svg(
            out,
            force,
            &crate::analysis::compare::chart(&c, (&ca.company, &cb.company)),
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `--out` and `--chart` take an SVG file: PNG would need a font library
/// the binary does not carry.
fn svg_path(out: &Path) -> Result<(), Problems> {
    let svg = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    if svg {
        return Ok(());
    }
    let text = out.display().to_string();
    Err(crate::diagnostic::attach(
        vec![Problem::new(
            Kind::BadNumber(format!("`{text}` is not an .svg file")),
            crate::ir::Span::new(0, text.len()),
            "the chart's file",
        )
        .with_help("charts are written as SVG (`--out chart.svg`); a browser shows one, and `rsvg-convert -o chart.png chart.svg` turns one into PNG")],
        &Source::new("--out", text.as_str()),
    ))
}

/// Draws a chart and writes it to `out`, saying what it wrote.
fn write_svg(
    out: &Path,
    force: bool,
    chart: &crate::analysis::chart::Chart,
) -> Result<(), Problems> {
    crate::output::may_write(out, force).map_err(|p| vec![p])?;
    let svg =
        render::chart::svg(chart).map_err(|k| vec![Problem::new(k, Default::default(), "")])?;
    std::fs::write(out, svg).map_err(|e| vec![crate::output::unwritable_file(out, &e)])?;
    crate::outln!(
        "wrote {} ({} lines or areas, {} breakpoints marked)",
        out.display(),
        chart.series.len(),
        chart.markers.len()
    );
    Ok(())
}

/// The internal error for a command handed to the wrong function.
fn misrouted() -> Problems {
    vec![Problem::new(
        Kind::Impossible("internal error: a command was run as one across exits".to_string()),
        Default::default(),
        "",
    )]
}

/// `charter chart`, its arguments read.
fn chart_command(command: Command) -> Result<ExitCode, Problems> {
    let Command::Chart {
        file,
        from,
        to,
        event,
        per_share,
        holders,
        lines,
        after,
        out,
        force,
    } = command
    else {
        return Err(misrouted());
    };
    let options = crate::analysis::chart::Options {
        per_share,
        holders,
        lines,
    };
    chart(&file, from.zip(to), event, &after, options, (&out, force))
}

/// `charter chart FILE [FROM TO] --out FILE.svg`.
fn chart(
    file: &Path,
    range: Option<(String, String)>,
    event: Option<String>,
    after: &[String],
    options: crate::analysis::chart::Options,
    (out, force): (&Path, bool),
) -> Result<ExitCode, Problems> {
    svg_path(out)?;
    crate::output::may_write(out, force).map_err(|p| vec![p])?;
    let range = match range {
        Some((f, t)) => {
            let (from, to) = (amount_arg("FROM", &f)?, amount_arg("TO", &t)?);
            if from.node == to.node {
                return Err(crate::diagnostic::attach(
                    vec![
                        Problem::new(
                            Kind::BadNumber(
                                "a chart's range runs from one exit to a larger one".to_string(),
                            ),
                            crate::ir::Span::new(0, t.len()),
                            "the same exit as FROM",
                        )
                        .with_help("give a range such as `0 100M`"),
                    ],
                    &Source::new("TO", t.as_str()),
                ));
            }
            Some((from, to))
        }
        None => None,
    };
    let mut session = scenario(file, after)?;
    let event_text = event.clone().unwrap_or_default();
    let event = event_arg(event);
    let on_event = |p: Problem| {
        crate::diagnostic::attach(vec![p], &Source::new("--event", event_text.as_str()))
    };
    let charter = session.for_exits().map_err(|p| vec![p])?;
    let c = crate::analysis::chart::chart(
        charter,
        range.as_ref().map(|(f, t)| (f, t)),
        event.as_ref(),
        options,
        Default::default(),
    )
    .map_err(on_event)?;
    write_svg(out, force, &c)?;
    Ok(ExitCode::SUCCESS)
}

/// `charter value`, its arguments read: `--equity` or `--backsolve`.
fn value_command(command: Command) -> Result<ExitCode, Problems> {
    let Command::Value {
        file,
        equity,
        backsolve,
        volatility,
        term,
        rate,
        event,
        after,
        format,
    } = command
    else {
        return Err(misrouted());
    };
    let basis = match (equity, backsolve) {
        (Some(e), _) => {
            typed::money(&[("--equity", &e)])?;
            format!("at {e}")
        }
        (None, Some(b)) => match b.rsplit_once('=') {
            Some((who, price)) => {
                typed::money(&[("--backsolve", price)])?;
                format!("solving {} at {} per share", party_name(who), price.trim())
            }
            None => format!("solving {b}"),
        },
        (None, None) => String::new(),
    };
    value(
        &file,
        [&basis, &volatility, &term, &rate],
        event,
        &after,
        format.get(),
    )
}

/// The party of `--backsolve 'WHO=$P'` as the statement names it: quoted,
/// so that a name as the tables show it (`2024 Plan (options)`, `Fund,
/// L.P.`) is read whole.
fn party_name(who: &str) -> String {
    let who = who.trim();
    if who.contains('"') {
        who.to_string()
    } else {
        format!("\"{who}\"")
    }
}

/// `charter value FILE --equity --volatility --term --rate`.
fn value(
    file: &Path,
    [basis, volatility, term, rate]: [&str; 4],
    event: Option<String>,
    after: &[String],
    format: Figures,
) -> Result<ExitCode, Problems> {
    let statement = format!(
        "value {basis} volatility {} term {} rate {}",
        typed::percent("--volatility", volatility)?,
        typed::term(term)?,
        typed::percent("--rate", rate)?
    );
    let statement = with_event(statement, event)?;
    match format {
        Figures::Table => after_events(file, after, &statement, Format::Table),
        Figures::Json => after_events(file, after, &statement, Format::Json),
        Figures::Csv => value_csv(file, after, &statement),
    }
}

/// `charter value --format csv`: a row per class, pool and named holder.
fn value_csv(file: &Path, after: &[String], statement: &str) -> Result<ExitCode, Problems> {
    let mut session = scenario(file, after)?;
    let answer = session.run("command line", statement)?;
    let crate::query::Answer::Value(v) = answer else {
        return Ok(ExitCode::SUCCESS);
    };
    match render::value::valuation_csv(&v) {
        Ok(t) => crate::out!("{t}"),
        Err(e) => return Err(vec![crate::output::unwritable(&e.to_string())]),
    }
    Ok(ExitCode::SUCCESS)
}
