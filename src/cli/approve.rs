//! `charter approve`: the consents an action needs and, given the votes,
//! whether it passes. The exit code answers the question for a script, as
//! `grep`'s does: 0 passes, 1 fails, 2 a problem with the input (a
//! diagnostic on standard error), 3 undecided (votes or facts not given;
//! `passes` is `null` in JSON).

use std::path::Path;
use std::process::ExitCode;

use super::Format;
use crate::diagnostic::{Kind, Problem, Problems, Source};
use crate::query::{Answer, Session};

/// The exit code when the action fails.
pub const FAILS: u8 = 1;
/// The exit code for a problem with the input.
pub const PROBLEM: u8 = 2;
/// The exit code when the votes or facts given do not decide it.
pub const UNDECIDED: u8 = 3;

/// What the command line says of the action besides its name.
pub struct Facts<'a> {
    /// The votes for, in the statement's spelling or as `CLASS=P%` items.
    pub yes: Option<&'a str>,
    /// The price per share.
    pub at: Option<&'a str>,
    /// The date.
    pub on: Option<&'a str>,
    /// The series affected differently.
    pub affecting: Option<&'a str>,
    /// The share of the surviving entity the stockholders keep.
    pub keep: Option<&'a str>,
}

/// Runs the `approve` statement the arguments spell, prints its answer, and
/// returns the exit code of its outcome.
pub fn approve(
    file: &Path,
    action: &str,
    facts: &Facts,
    format: Format,
) -> Result<ExitCode, Problems> {
    let statement = statement(action, facts)?;
    let charter = super::load(file)?;
    let mut session = Session::new(&charter);
    let answer = session.run("command line", &statement)?;
    crate::out!("{}", super::shown(&answer, &session, format));
    Ok(match answer {
        Answer::Approval(a) => match a.passes {
            Some(true) => ExitCode::SUCCESS,
            Some(false) => ExitCode::from(FAILS),
            None => ExitCode::from(UNDECIDED),
        },
        _ => ExitCode::SUCCESS,
    })
}

/// `approve ACTION [at $P per share] [on DATE] [affecting X, Y] [with ...]
/// [and "Holder" yes]`, as the REPL takes it.
fn statement(action: &str, facts: &Facts) -> Result<String, Problems> {
    let mut s = format!("approve {action}");
    if let Some(price) = facts.at {
        // On the command line a price carries its `$`, as an amount does.
        super::typed::money(&[("--at", price)])?;
        s.push_str(&format!(" at {} per share", price.trim()));
    }
    if let Some(date) = facts.on {
        s.push_str(&format!(" on {date}"));
    }
    if let Some(classes) = facts.affecting {
        s.push_str(&format!(" affecting {classes}"));
    }
    if let Some(share) = facts.keep {
        let share = super::typed::percent("--keep", share)?;
        s.push_str(&format!(" where stockholders keep {share}"));
    }
    if let Some(yes) = facts.yes {
        s.push_str(&votes(yes)?);
    }
    Ok(s)
}

/// The votes as the statement writes them. Text with `=` outside quotes is
/// read as `NAME=P%` (a class) and `NAME=yes|no` (a named holder) items
/// separated by commas; any other text is the statement's own spelling
/// (`A 70%, B 100% and "Fund, L.P." yes`).
fn votes(yes: &str) -> Result<String, Problems> {
    if !outside_quotes(yes).contains('=') {
        let yes = yes.trim();
        return Ok(if yes.starts_with('"') && !yes.contains('%') {
            format!(" and {yes}")
        } else {
            format!(" with {yes}")
        });
    }
    let source = Source::new("--yes", yes);
    let (mut classes, mut holders) = (Vec::new(), Vec::new());
    let mut offset = 0;
    for part in yes.split(',') {
        let span = crate::ir::Span::new(offset, offset.saturating_add(part.len()));
        offset = span.end.saturating_add(1);
        let bad = |message: &str| {
            crate::diagnostic::attach(
                vec![
                    Problem::new(Kind::Syntax(message.to_string()), span, "here").with_help(
                        "write each vote as `Series A=100%`, or a named holder's as \
                         `Fund L.P.=yes`, separated by commas",
                    ),
                ],
                &source,
            )
        };
        let Some((name, value)) = part.split_once('=') else {
            return Err(bad("expected `NAME=P%` or `NAME=yes`"));
        };
        if name.contains('"') {
            return Err(bad("names here are written without quotation marks"));
        }
        let (name, value) = (name.trim(), value.trim());
        match value.to_lowercase().as_str() {
            "yes" | "no" => holders.push(format!("\"{name}\" {}", value.to_lowercase())),
            _ => classes.push(format!("\"{name}\" {value}")),
        }
    }
    let mut s = String::new();
    if !classes.is_empty() {
        s.push_str(&format!(" with {}", classes.join(", ")));
    }
    if !holders.is_empty() {
        s.push_str(&format!(" and {}", holders.join(", ")));
    }
    Ok(s)
}

/// `text` with every quoted part removed.
fn outside_quotes(text: &str) -> String {
    text.split('"').step_by(2).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn votes_in_either_spelling() {
        let v = |t: &str| votes(t).unwrap_or_default();
        assert_eq!(
            v("Series A=100%,F=60%"),
            " with \"Series A\" 100%, \"F\" 60%"
        );
        assert_eq!(
            v("A=70%, Fund L.P.=yes"),
            " with \"A\" 70% and \"Fund L.P.\" yes"
        );
        assert_eq!(
            v("A 70%, B 100% and \"Fund, L.P.\" yes"),
            " with A 70%, B 100% and \"Fund, L.P.\" yes"
        );
        assert_eq!(v("\"Fund, L.P.\" yes"), " and \"Fund, L.P.\" yes");
        assert!(votes("A=70%, B").is_err());
    }
}
