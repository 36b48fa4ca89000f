//! Snapshots of whole answers: each `snapshot` block's statements run on a
//! fresh [`Session`], and their answers, rendered as `charter query` prints
//! them, kept in a plain-text file beside the charter (`NAME.charter.snap`)
//! so that a change shows up as a diff to review.
//!
//! The file is a sequence of records, each a header line
//! `=== snapshot "NAME"` followed by the transcript. Text before the first
//! header is a comment and is not read.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::diagnostic::{Problems, attach};
use crate::ir::{Charter, SnapshotSpec, Suite};
use crate::query::Session;

/// Recorded transcripts by snapshot name, in file order.
pub type Records = IndexMap<String, String>;

const HEADER: &str = "=== snapshot \"";

/// The snapshot file of a charter: `NAME.charter.snap` beside it.
pub fn path_for(charter: &Path) -> PathBuf {
    let mut name = charter.as_os_str().to_owned();
    name.push(".snap");
    PathBuf::from(name)
}

/// Runs a snapshot's statements and returns the transcript: each statement
/// after `> `, then its answer. A statement that fails is a problem in the
/// file, not part of the record.
pub fn take(charter: &Charter, suite: &Suite, spec: &SnapshotSpec) -> Result<String, Problems> {
    let mut session = Session::new(charter);
    let mut out = String::new();
    for st in &spec.statements {
        let answer = session
            .run_statement(&st.query, &st.text, st.span)
            .map_err(|p| attach(vec![p], &suite.source))?;
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("> {}\n", st.text));
        out.push_str(&crate::render::text(&answer, &session));
    }
    Ok(normal(&out))
}

/// A transcript as it is stored: no trailing blank lines or spaces, one final
/// newline.
fn normal(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut body = lines.join("\n");
    body.truncate(body.trim_end().len());
    body.push('\n');
    body
}

/// Reads the records of a snapshot file.
pub fn parse(text: &str) -> Records {
    let mut records = Records::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix(HEADER)
            && let Some(name) = rest.strip_suffix('"')
        {
            if let Some((n, body)) = current.take() {
                records.insert(n, normal(&body));
            }
            current = Some((name.to_string(), String::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    if let Some((n, body)) = current {
        records.insert(n, normal(&body));
    }
    records
}

/// Writes records as a snapshot file of the charter named `charter`.
pub fn write(charter: &str, records: &Records) -> String {
    let mut out = format!(
        "# Snapshots of {charter}, recorded by `charter snapshot --update` or accepted\n\
         # in `charter snapshot --review`. Each record is the whole answer to the\n\
         # statements of one `snapshot` block. Do not edit: rerun and review instead.\n"
    );
    for (name, body) in records {
        out.push_str(&format!("\n{HEADER}{name}\"\n{body}"));
    }
    out
}

/// How a snapshot compares with its record.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// The same as recorded.
    Unchanged,
    /// Different: the recorded text and the new one.
    Changed(String, String),
    /// Not recorded yet.
    New(String),
    /// Recorded, but the charter no longer lists it.
    Obsolete(String),
}

/// Compares the current transcripts with the records, in the charter's
/// order, obsolete records last.
pub fn compare(current: &Records, recorded: &Records) -> Vec<(String, Change)> {
    let mut out: Vec<(String, Change)> = current
        .iter()
        .map(|(name, now)| {
            let change = match recorded.get(name) {
                Some(old) if old == now => Change::Unchanged,
                Some(old) => Change::Changed(old.clone(), now.clone()),
                None => Change::New(now.clone()),
            };
            (name.clone(), change)
        })
        .collect();
    for (name, old) in recorded {
        if !current.contains_key(name) {
            out.push((name.clone(), Change::Obsolete(old.clone())));
        }
    }
    out
}

/// The records after accepting `accepted` changes (by name) and keeping the
/// rest as recorded; in the charter's order, rejected obsolete records kept
/// at the end.
pub fn accept(
    changes: &[(String, Change)],
    recorded: &Records,
    accepted: &dyn Fn(&str) -> bool,
) -> Records {
    let mut out = Records::new();
    for (name, change) in changes {
        let keep = match change {
            Change::Unchanged => recorded.get(name).cloned(),
            Change::Changed(old, new) => Some(if accepted(name) { new } else { old }.clone()),
            Change::New(new) => accepted(name).then(|| new.clone()),
            Change::Obsolete(old) => (!accepted(name)).then(|| old.clone()),
        };
        if let Some(body) = keep {
            out.insert(name.clone(), body);
        }
    }
    out
}
