//! `charter repl FILE`: ask a charter questions one after another.
//!
//! A thin wrapper around the query [`Session`]: rustyline reads a line (or
//! several, while a statement is unfinished), statements go to the session,
//! and lines starting with `:` are meta-commands handled in one `match`.
//! What-if edits change the charter's text in memory (`:replace`), and
//! `:diff` runs a statement on the file as saved and as edited.

mod compare;
mod edits;
mod helper;
mod topics;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::rc::Rc;

use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{CompletionType, Config, Editor};

use crate::diagnostic::{Kind, Problem, Problems, Source};
use crate::ir::Charter;
use crate::query::{Answer, Session};
use crate::render;
use helper::ReplHelper;
pub use helper::incomplete;

/// The prompt of a statement's second and later lines.
const CONTINUE: &str = "   ...> ";

/// What a charter-less command answers.
const NOT_LOADED: &str = "no charter loaded: `:load FILE`";

/// Where history is kept: `CHARTER_HISTORY`, else the user's data directory.
fn history_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHARTER_HISTORY") {
        return Some(PathBuf::from(p));
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("share"))
        })?;
    Some(base.join("charter").join("history"))
}

/// The charter in the session, as saved and as edited.
struct Loaded {
    path: PathBuf,
    saved: String,
    text: String,
    charter: Charter,
}

struct Repl {
    /// A statement or command failed (a piped script then exits 1).
    failed: bool,
    /// The command just refused for dropping unsaved edits (or `:save`
    /// without a name awaiting confirmation): given again at once, it runs.
    warned: Option<&'static str>,
    /// The file a `:save` awaiting confirmation would write: only a
    /// second `:save` of that same file writes it.
    save_to: Option<String>,
    loaded: Option<Loaded>,
    session: Option<Session>,
    json: bool,
    last: Option<String>,
    color: bool,
    names: helper::Names,
    /// Readings chosen with `:reading`, other than the file's.
    readings: Vec<crate::check::readings::Chosen>,
}

impl Repl {
    fn problems(&mut self, p: &Problems) {
        self.failed = true;
        crate::out!("{}", render::diagnostics::render(p, self.color));
    }

    /// Whether `cmd` may drop the edits made in memory: yes when there are
    /// none, or when it is given again right after the warning.
    fn may_drop_edits(&mut self, cmd: &'static str) -> bool {
        let Some(l) = self.loaded.as_ref().filter(|l| l.text != l.saved) else {
            return true;
        };
        if self.warned == Some(cmd) {
            return true;
        }
        crate::outln!(
            "{} has edits not saved: `:save` writes them to it, `:save FILE` elsewhere; \
             {cmd} again drops them",
            crate::diagnostic::shown_path(&l.path)
        );
        self.warned = Some(cmd);
        false
    }

    /// Loads `path`; `false` if it could not be read or has problems.
    fn load(&mut self, path: &Path) -> bool {
        let text = match crate::input::read(path) {
            Ok(t) => t,
            Err(p) => {
                self.problems(&p);
                return false;
            }
        };
        // A new file starts with its own readings.
        self.readings.clear();
        match crate::check::load(&Source::new(path.display().to_string(), text.as_str())) {
            Ok(charter) => {
                crate::outln!(
                    "loaded {} ({}, {} classes)",
                    crate::diagnostic::shown_path(path),
                    charter.company,
                    charter.classes.len()
                );
                self.session = Some(Session::new(&charter));
                self.loaded = Some(Loaded {
                    path: path.to_path_buf(),
                    saved: text.clone(),
                    text,
                    charter,
                });
                self.refresh_names();
                true
            }
            Err(p) => {
                self.problems(&p);
                false
            }
        }
    }

    /// The names completion offers: classes, holders, actions, events.
    fn refresh_names(&mut self) {
        let mut known = helper::Known::default();
        if let Some(l) = &self.loaded {
            let c = &l.charter;
            for class in &c.classes {
                known.classes.push(class.ident.clone());
                known.classes.push(class.name.clone());
            }
            known.holders = c.holders.iter().map(|h| h.name.clone()).collect();
            known.actions = crate::ir::STANDARD_ACTIONS
                .iter()
                .map(|a| a.0.to_string())
                .chain(c.protective.actions.iter().map(|a| a.0.clone()))
                .collect();
            for e in &c.events {
                known.events.push(e.name.clone());
                known
                    .events
                    .extend(e.kinds.iter().map(|k| k.word().to_string()));
            }
        }
        known.classes.dedup();
        known.events.dedup();
        *self.names.borrow_mut() = known;
    }

    /// A new session on `charter` with `events` replayed; the first problem stops it.
    fn replay(charter: &Charter, events: &[String]) -> Result<Session, Problems> {
        let mut s = Session::new(charter);
        for e in events {
            s.run("history", e)?;
        }
        Ok(s)
    }

    fn events(&self) -> Vec<String> {
        self.session
            .as_ref()
            .map(|s| s.scenario.events.clone())
            .unwrap_or_default()
    }

    fn show(&mut self, answer: &Answer) {
        let Some(session) = &self.session else { return };
        let full = if self.json {
            render::json(answer, session)
        } else {
            render::text(answer, session)
        };
        // The derivation of a payout is kept for `:explain`.
        let shown = match full.split_once("\nWhy:\n") {
            Some((head, _)) if !self.json => format!("{head}\n(`:explain` for the derivation)\n"),
            _ => full.clone(),
        };
        crate::out!("{shown}");
        if self.json {
            crate::outln!();
        }
        self.last = Some(full);
    }

    fn statement(&mut self, line: &str) {
        if line.starts_with("compare ") {
            return self.compare(line);
        }
        self.warned = None;
        let Some(session) = self.session.as_mut() else {
            self.failed = true;
            crate::outln!("{NOT_LOADED}");
            return;
        };
        match session.run("input", line) {
            Ok(answer) => self.show(&answer),
            Err(p) => self.problems(&p),
        }
    }

    /// The loaded charter, or `None` after telling the user to load one.
    fn loaded(&self) -> Option<&Loaded> {
        if self.loaded.is_none() {
            crate::outln!("{NOT_LOADED}");
        }
        self.loaded.as_ref()
    }

    /// Handles a meta-command; returns `false` to quit.
    fn meta(&mut self, line: &str) -> bool {
        let (cmd, arg) = line
            .split_once(char::is_whitespace)
            .map_or((line, ""), |(c, a)| (c, a.trim()));
        // A path may be quoted, for one with spaces.
        let path = arg.trim_matches('"');
        // A warning holds only for the command right after it.
        let warned = self.warned.take();
        if matches!(cmd, ":quit" | ":q" | ":exit" | ":load" | ":reload") {
            self.warned = warned.filter(|w| *w == ":quit" || *w == ":load" || *w == ":reload");
        } else if cmd == ":save" {
            self.warned = warned.filter(|w| *w == ":save");
        }
        match cmd {
            ":quit" | ":q" | ":exit" => return !self.may_drop_edits(":quit"),
            ":help" | ":h" => crate::out!("{}", help(arg)),
            ":load" => {
                if arg.is_empty() {
                    crate::outln!("usage: :load FILE");
                } else if self.may_drop_edits(":load") {
                    self.load(Path::new(path));
                }
            }
            ":reload" => match self.loaded.as_ref().map(|l| l.path.clone()) {
                Some(_) if !self.may_drop_edits(":reload") => {}
                Some(p) => {
                    let events = self.events();
                    self.load(&p);
                    if let Some(l) = &self.loaded {
                        match Self::replay(&l.charter, &events) {
                            Ok(s) => self.session = Some(s),
                            Err(p) => self.problems(&p),
                        }
                    }
                }
                None => crate::outln!("{NOT_LOADED}"),
            },
            ":reset" => {
                if let Some(l) = self.loaded() {
                    self.session = Some(Session::new(&l.charter));
                    crate::outln!("scenario cleared");
                }
            }
            ":undo" => {
                let mut events = self.events();
                match (events.pop(), &self.loaded) {
                    (Some(dropped), Some(l)) => match Self::replay(&l.charter, &events) {
                        Ok(s) => {
                            self.session = Some(s);
                            crate::outln!("dropped: {dropped}");
                        }
                        Err(p) => self.problems(&p),
                    },
                    _ => crate::outln!("no events to undo"),
                }
            }
            ":history" => {
                let events = self.events();
                if events.is_empty() {
                    crate::outln!("no events: the scenario is the charter as filed");
                }
                for (i, e) in events.iter().enumerate() {
                    crate::outln!("{:>3}  {e}", i.saturating_add(1));
                }
            }
            ":format" => match arg {
                "json" => self.json = true,
                "table" => self.json = false,
                _ => crate::outln!("usage: :format table|json"),
            },
            ":explain" => match &self.last {
                Some(full) => crate::out!("{full}"),
                None => crate::outln!("nothing to explain yet"),
            },
            ":replace" => self.replace(arg),
            ":add" => self.add(arg),
            ":diff" => self.diff(arg),
            ":test" => self.test(),
            ":reading" => self.reading(arg),
            ":save" => self.save(path),
            _ => crate::outln!("unknown command `{cmd}`; `:help` lists them"),
        }
        true
    }

    /// `:test`: the charter's expectations (its own and its companion
    /// file's) run on the charter as edited, so that a what-if edit shows
    /// which readings it changes.
    fn test(&mut self) {
        let Some(l) = self.loaded() else { return };
        let source = Source::new(l.path.display().to_string(), l.text.as_str());
        let mut suites = match crate::check::load_suite_with(&source, &self.readings) {
            Ok((_, suite)) => vec![suite],
            Err(p) => return self.problems(&p),
        };
        let companion = PathBuf::from(format!("{}.test", l.path.display()));
        if let Ok(text) = std::fs::read_to_string(&companion) {
            let source = Source::new(companion.display().to_string(), text);
            match crate::check::load_companion(&l.charter, &source) {
                Ok(s) => suites.push(s),
                Err(p) => return self.problems(&p),
            }
        }
        let (mut passed, mut failed) = (0usize, 0usize);
        for suite in &suites {
            let outcomes = crate::expect::run(&l.charter, suite);
            passed = passed.saturating_add(outcomes.iter().map(|o| o.passed()).sum::<usize>());
            failed = failed.saturating_add(outcomes.iter().map(|o| o.failed()).sum::<usize>());
            crate::out!(
                "{}",
                crate::expect::report::outcomes(suite, &outcomes, self.color)
            );
        }
        crate::out!("{}", crate::expect::report::summary(passed, failed));
    }
}

fn help(topic: &str) -> String {
    match topic {
        "statements" | "" => "\
Statements (as in `charter query`):
  payout $50M [as merger]                who receives what
  breakpoints | curve 0 100M             where payouts bend, and payouts along a range
  solve exit where Common receives $10M  the least exit that pays it that much
  compare with b.charter [0 100M]        this charter against a file, by class
  issue N Common at $P [on DATE] ...     an issuance; conversion prices adjust
  grant N options at $P | split 2:1 | combine 1:2 | stock dividend 10%
  ipo at $P raising $X [net $Y] [filed DATE]
  conversion prices | convert D [for \"Holder\"] [at $FMV]
  explain conversion price D
  approve ACTION [at $P per share] [on DATE] [affecting X]
          [with A 60%, ...] [and \"Holder\" yes]
  approve conversion with A 70%, ...  |  votes  |  board [of N]
  declare dividend $X | accrued [D] | on DATE
  redeem on DATE [funds $X] [requests A 50%]
`:help STATEMENT` (e.g. `:help approve`) for one in full; meta-commands: `:help meta`
"
        .to_string(),
        "meta" => "\
Meta-commands:
  :load FILE                 load a charter
  :reload                    load it again, keeping the events
  :reset                     clear the scenario
  :undo                      drop the last event
  :history                   the scenario's events
  :format table|json         how answers are shown
  :explain                   the derivation of the last answer
  :replace \"old\" with \"new\"  edit a clause in memory (what-if)
  :add BLOCK                 add a block in memory, e.g. `:add redemption ...`
  :diff STATEMENT            the answer as saved and as edited
  :test                      run the charter's `expect` blocks, as edited
  :reading [NAME=ALT]        the readings the file offers, or answer under another
  :save FILE                 write the edited charter
  :quit                      leave (Ctrl-D too; Ctrl-C clears the line)
"
        .to_string(),
        other => topics::statement(other).unwrap_or_else(|| {
            format!(
                "no help on `{other}`: topics are `statements`, `meta`, and each statement: {}\n",
                topics::words().collect::<Vec<_>>().join(", ")
            )
        }),
    }
}

/// Runs the REPL; the exit code is 0 when the user leaves.
pub fn main(file: Option<PathBuf>) -> ExitCode {
    let color = crate::output::color();
    let names: helper::Names = Rc::new(RefCell::new(helper::Known::default()));
    let config = Config::builder()
        .history_ignore_space(true)
        .auto_add_history(false)
        // Tab completes the common prefix, a second Tab lists the candidates.
        .completion_type(CompletionType::List)
        .build();
    let mut rl: Editor<ReplHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(rl) => rl,
        Err(e) => {
            crate::errln!("cannot start the line editor: {e}");
            return ExitCode::from(1);
        }
    };
    rl.set_helper(Some(ReplHelper::new(names.clone(), color)));
    // Piped input is echoed after the prompt, so `charter repl FILE < script`
    // prints a transcript that reads like the session typed by hand; a
    // script is not the user's typing, so it neither reads nor writes the
    // history.
    let echo = !std::io::IsTerminal::is_terminal(&std::io::stdin());
    let history = if echo { None } else { history_path() };
    if let Some(h) = &history {
        let _ = rl.load_history(h);
    }
    let mut repl = Repl {
        failed: false,
        warned: None,
        save_to: None,
        loaded: None,
        session: None,
        json: false,
        last: None,
        color,
        names,
        readings: Vec::new(),
    };
    crate::outln!("charter REPL: `:help` for statements and commands, Ctrl-D to leave");
    // A file named on the command line that cannot be loaded is an error,
    // not an empty session.
    if let Some(f) = file
        && !repl.load(&f)
    {
        return ExitCode::from(1);
    }
    let mut input_failed = false;
    loop {
        match read_statement(&mut rl) {
            Ok(input) => {
                let line = input.trim();
                if echo {
                    crate::outln!(
                        "charter> {}",
                        crate::diagnostic::printable_line(line).replace('\n', "\n    ... ")
                    );
                }
                if line.is_empty() {
                    continue;
                }
                let _ = rl.add_history_entry(line);
                if line.starts_with(':') {
                    if !repl.meta(line) {
                        break;
                    }
                } else {
                    repl.statement(&line.split_whitespace().collect::<Vec<_>>().join(" "));
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            // At the end of a piped script there is no one to warn.
            Err(ReadlineError::Eof) if echo || repl.may_drop_edits("Ctrl-D") => break,
            Err(ReadlineError::Eof) => continue,
            // Input that cannot be read (bytes that are not UTF-8, say) ends
            // the session as a failure: the lines after it are not run.
            Err(e) => {
                crate::errln!("input error: {e}; the lines after it were not run");
                input_failed = true;
                break;
            }
        }
    }
    if let Some(h) = &history {
        save_history(&mut rl, h);
    }
    // A script whose statements failed fails, as a shell script would.
    if input_failed || echo && repl.failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads one statement: a line, and the lines that continue it under their
/// own prompt while it is unfinished; Ctrl-C there drops the whole
/// statement.
fn read_statement(rl: &mut Editor<ReplHelper, DefaultHistory>) -> Result<String, ReadlineError> {
    let mut input = rl.readline("charter> ")?;
    while incomplete(&input) {
        match rl.readline(CONTINUE) {
            Ok(more) => input = format!("{input}\n{more}"),
            Err(ReadlineError::Interrupted) => {
                input.clear();
                break;
            }
            Err(_) => break,
        }
    }
    Ok(input)
}

/// Keeps the typed lines for the next session; a history that cannot be
/// written costs nothing but the history.
fn save_history(rl: &mut Editor<ReplHelper, DefaultHistory>, path: &Path) {
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = rl.save_history(path);
}
