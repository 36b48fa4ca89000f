//! `charter test` and `charter snapshot`: finding the charters, loading their
//! expectations and snapshots, and reporting.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::diagnostic::{Kind, Problem, Problems, Source, io_reason};
use crate::expect::report::problem_json;
use crate::ir::{Charter, Suite};
use crate::render::diagnostics::reports;
use crate::snapshot::{self, Change, Records};

/// The `.charter` files named by `paths`: files as given (a `.charter.test`
/// file stands for its charter), folders searched recursively, skipping
/// hidden folders and `target`. A folder holding none is a problem.
fn charters(paths: &[PathBuf]) -> (Vec<PathBuf>, Problems) {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if path.is_dir() {
            let before = found.len();
            walk(path, &mut found);
            if found.len() == before {
                problems.push(
                    Problem::new(
                        Kind::NoCharters(path.display().to_string()),
                        Default::default(),
                        "",
                    )
                    .with_help("name a `.charter` file, or a folder that holds one"),
                );
            }
        } else {
            found.push(charter_of(path));
        }
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|p| seen.insert(p.clone()));
    (found, problems)
}

/// The charter a path stands for: a `NAME.charter.test` file stands for
/// `NAME.charter`; any other path for itself.
pub fn charter_of(path: &Path) -> PathBuf {
    match path.to_string_lossy().strip_suffix(".charter.test") {
        Some(stem) => PathBuf::from(format!("{stem}.charter")),
        None => path.to_path_buf(),
    }
}

/// What a folder's `.charterignore` keeps out of a search: `None` if it has
/// none; the names it lists (one a line, `#` comments); an empty list, when
/// it names nothing, for the whole folder. Deliberately broken fixtures are
/// kept so out of `charter test` and `charter snapshot` run on a folder
/// above them, and still run when named.
fn ignored(dir: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(dir.join(".charterignore")).ok()?;
    Some(
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect(),
    )
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let skip = ignored(dir).unwrap_or_default();
    // Symbolic links to folders are not followed, so that a link cycle
    // cannot make the search endless; only folders and regular files are
    // looked at (a FIFO named `x.charter` would block the read).
    let mut entries: Vec<(PathBuf, bool)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir() || t.is_file()))
        .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
        .collect();
    entries.sort();
    for (p, is_dir) in entries {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if skip.contains(&name) {
            continue;
        }
        if is_dir {
            let whole = ignored(&p).is_some_and(|names| names.is_empty());
            if !name.starts_with('.') && name != "target" && !whole {
                walk(&p, found);
            }
        } else if name.ends_with(".charter") {
            found.push(p);
        }
    }
}

/// A charter with the suites of its own file and of its companion
/// `NAME.charter.test`, if there is one.
pub fn load(path: &Path) -> Result<(Charter, Vec<Suite>), Problems> {
    let text = crate::input::read(path)?;
    let source = Source::new(path.display().to_string(), text);
    let (mut charter, mut own) = crate::check::load_suite(&source)?;
    if let Some(choices) = super::chosen(&charter)? {
        (charter, own) = crate::check::load_suite_with(&source, &choices)?;
    }
    let mut suites = vec![own];
    let companion = PathBuf::from(format!("{}.test", path.display()));
    if companion.is_file() {
        let text = crate::input::read(&companion)?;
        let source = Source::new(companion.display().to_string(), text);
        suites.push(crate::check::load_companion(&charter, &source)?);
    }
    Ok((charter, suites))
}

/// `charter test PATHS`: runs every expectation and prints a line per
/// `expect` block, each failure in full, and `N passed, M failed` last; or,
/// with `json`, one JSON object with the same content.
pub fn test(paths: &[PathBuf], json: bool, color: bool) -> ExitCode {
    let (files, problems) = charters(paths);
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut report: Vec<serde_json::Value> = Vec::new();
    let mut text = String::new();
    failed = failed.saturating_add(problems.len());
    text.push_str(&reports(&problems, color));
    // As in text, each file's first problems are written out and the rest
    // counted.
    let shown = crate::render::diagnostics::PROBLEMS_SHOWN;
    let mut not_shown = problems.len().saturating_sub(shown);
    let mut unloaded: Vec<serde_json::Value> =
        problems.iter().take(shown).map(problem_json).collect();
    for path in &files {
        text.push_str(&format!("{}\n", crate::diagnostic::shown_path(path)));
        match load(path) {
            Err(problems) => {
                failed = failed.saturating_add(1);
                text.push_str("  FAIL the charter has problems, so nothing was run\n\n");
                text.push_str(&reports(&problems, color));
                unloaded.extend(problems.iter().take(shown).map(problem_json));
                not_shown = not_shown.saturating_add(problems.len().saturating_sub(shown));
            }
            Ok((charter, suites)) => {
                for suite in &suites {
                    if suite.source.name != crate::diagnostic::shown_path(path) {
                        text.push_str(&format!("{}\n", suite.source.name));
                    }
                    let outcomes = crate::expect::run(&charter, suite);
                    passed =
                        passed.saturating_add(outcomes.iter().map(|o| o.passed()).sum::<usize>());
                    failed =
                        failed.saturating_add(outcomes.iter().map(|o| o.failed()).sum::<usize>());
                    text.push_str(&crate::expect::report::outcomes(suite, &outcomes, color));
                    report.push(crate::expect::report::outcomes_json(suite, &outcomes));
                }
            }
        }
    }
    if json {
        let value = serde_json::json!({
            "passed": passed,
            "failed": failed,
            "files": report,
            "problems": unloaded,
            "problems_not_shown": not_shown,
        });
        crate::outln!("{value}");
    } else {
        if passed.saturating_add(failed) == 0 {
            text.push_str(
                "no expectations found: write an `expect` block in the charter or in NAME.charter.test\n",
            );
        }
        crate::out!("{text}\n{}", crate::expect::report::summary(passed, failed));
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// What `charter snapshot` does with differences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Show them; fail if there are any.
    Compare,
    /// Record every answer as it now is.
    Update,
    /// Ask about each one.
    Review,
}

impl Mode {
    /// The mode for the command-line flags.
    pub fn from_flags(update: bool, review: bool) -> Self {
        if update {
            Mode::Update
        } else if review {
            Mode::Review
        } else {
            Mode::Compare
        }
    }
}

/// Counts over a `charter snapshot` run.
#[derive(Default)]
struct Tally {
    unchanged: usize,
    changed: usize,
    new: usize,
    obsolete: usize,
    accepted: usize,
    rejected: usize,
    problems: usize,
}

impl Tally {
    fn line(&self, mode: Mode) -> String {
        let mut parts = vec![
            format!("{} unchanged", self.unchanged),
            format!("{} changed", self.changed),
            format!("{} new", self.new),
        ];
        if self.obsolete > 0 {
            parts.push(format!("{} obsolete", self.obsolete));
        }
        if self.problems > 0 {
            parts.push(format!("{} with problems", self.problems));
        }
        match mode {
            Mode::Compare => {}
            Mode::Update => parts.push(format!("{} recorded", self.accepted)),
            Mode::Review => {
                parts.push(format!("{} accepted", self.accepted));
                parts.push(format!("{} rejected", self.rejected));
            }
        }
        format!("{}\n", parts.join(", "))
    }

    /// Whether the records now match the charters.
    fn clean(&self, mode: Mode) -> bool {
        self.problems == 0
            && match mode {
                Mode::Compare => self.changed.saturating_add(self.new) == 0,
                Mode::Update => true,
                Mode::Review => self.rejected == 0,
            }
    }
}

/// Every snapshot the charter at `path` and its companion name, taken now;
/// a name given twice is a problem.
fn take_all(path: &Path) -> Result<Records, Problems> {
    let (charter, suites) = load(path)?;
    let mut current = Records::new();
    for suite in &suites {
        for spec in &suite.snapshots {
            if current.contains_key(&spec.name) {
                // The charter and its companion file both name it.
                return Err(crate::diagnostic::attach(
                    vec![
                        Problem::new(
                            Kind::Duplicate(format!("the snapshot \"{}\"", spec.name)),
                            spec.span,
                            "named again here",
                        )
                        .with_help("the charter and its .charter.test file name the same snapshot; rename one"),
                    ],
                    &suite.source,
                ));
            }
            current.insert(spec.name.clone(), snapshot::take(&charter, suite, spec)?);
        }
    }
    Ok(current)
}

/// The records of a `.snap` file; none where there is no file yet.
fn read_records(file: &Path) -> Result<Records, Problems> {
    match std::fs::read(file) {
        Ok(bytes) => Ok(snapshot::parse(&String::from_utf8_lossy(&bytes))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Records::new()),
        Err(e) => Err(vec![Problem::new(
            Kind::Unreadable {
                path: file.display().to_string(),
                reason: io_reason(&e),
            },
            Default::default(),
            "",
        )]),
    }
}

/// `charter snapshot PATHS [--update | --review]`.
pub fn snapshot(paths: &[PathBuf], mode: Mode, color: bool) -> ExitCode {
    let (files, problems) = charters(paths);
    let mut tally = Tally {
        problems: problems.len(),
        ..Tally::default()
    };
    if !problems.is_empty() {
        crate::out!("{}", reports(&problems, color));
    }
    let mut answers = std::io::stdin().lock().lines();
    for path in &files {
        crate::outln!("{}", crate::diagnostic::shown_path(path));
        if let Err(problems) = snapshot_file(path, mode, &mut tally, &mut answers) {
            tally.problems = tally.problems.saturating_add(1);
            crate::out!("{}", reports(&problems, color));
        }
    }
    crate::out!("\n{}", tally.line(mode));
    if tally.clean(mode) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn snapshot_file(
    path: &Path,
    mode: Mode,
    tally: &mut Tally,
    answers: &mut impl Iterator<Item = std::io::Result<String>>,
) -> Result<(), Problems> {
    let current = take_all(path)?;
    let file = snapshot::path_for(path);
    let recorded = read_records(&file)?;
    let changes = snapshot::compare(&current, &recorded);
    let mut accepted: Vec<String> = Vec::new();
    let mut quit = false;
    for (name, change) in &changes {
        let (word, before, after) = match change {
            Change::Unchanged => {
                tally.unchanged = tally.unchanged.saturating_add(1);
                crate::outln!("  unchanged  \"{name}\"");
                continue;
            }
            Change::Changed(old, new) => {
                tally.changed = tally.changed.saturating_add(1);
                ("changed", old.as_str(), new.as_str())
            }
            Change::New(new) => {
                tally.new = tally.new.saturating_add(1);
                ("new", "", new.as_str())
            }
            Change::Obsolete(old) => {
                tally.obsolete = tally.obsolete.saturating_add(1);
                ("obsolete", old.as_str(), "")
            }
        };
        crate::outln!("  {word:<9}  \"{name}\"");
        let obsolete = matches!(change, Change::Obsolete(_));
        if mode != Mode::Update {
            crate::out!(
                "{}",
                crate::render::diff(before, after, &format!("recorded \"{name}\""), "now")
            );
            if obsolete {
                crate::outln!("  the charter no longer lists this snapshot");
            }
        }
        let yes = match mode {
            Mode::Update => true,
            Mode::Compare => false,
            Mode::Review => !quit && ask(answers, obsolete, &mut quit),
        };
        // An obsolete record fails nothing: dropping or keeping it is not counted.
        if !obsolete {
            if yes {
                tally.accepted = tally.accepted.saturating_add(1);
            } else {
                tally.rejected = tally.rejected.saturating_add(1);
            }
        }
        if yes {
            accepted.push(name.clone());
        }
    }
    if !accepted.is_empty() {
        let records = snapshot::accept(&changes, &recorded, &|n| accepted.iter().any(|a| a == n));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        std::fs::write(&file, snapshot::write(&name, &records)).map_err(|e| {
            vec![Problem::new(
                Kind::Unwritable {
                    path: file.display().to_string(),
                    reason: io_reason(&e),
                },
                Default::default(),
                "",
            )]
        })?;
    }
    Ok(())
}

/// Asks whether to accept one difference; `q` rejects it and every one after.
fn ask(
    answers: &mut impl Iterator<Item = std::io::Result<String>>,
    obsolete: bool,
    quit: &mut bool,
) -> bool {
    let question = if obsolete {
        "remove this record? [y]es, [n]o, [q]uit: "
    } else {
        "accept the new answer? [y]es, [n]o, [q]uit: "
    };
    loop {
        crate::out!("{question}");
        let Some(Ok(line)) = answers.next() else {
            // No more input: nothing more is accepted.
            crate::outln!();
            *quit = true;
            return false;
        };
        // Piped answers are echoed, so that the output reads as a transcript.
        if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            crate::outln!("{}", line.trim());
        }
        match line.trim().to_lowercase().as_str() {
            "y" | "yes" | "a" | "accept" => return true,
            "n" | "no" | "r" | "reject" => return false,
            "q" | "quit" => {
                *quit = true;
                return false;
            }
            _ => {
                crate::outln!("answer y to accept, n to keep the record, q to stop");
            }
        }
    }
}
