//! The README and the guide under `docs/` run: every example in them is
//! tried, so that they cannot drift from what `charter` does.
//!
//! - A ```` ```sh ```` block: each line (lines ending in `\` joined) that
//!   starts with `charter ` or `cargo run --release -- ` runs the binary,
//!   its arguments split as a POSIX shell splits them, from the repository's
//!   root. It must exit 0, or N where the line ends with `# exit N`. A line
//!   with a pipe, a redirection or a command substitution, a line starting
//!   with anything else (`cargo test`, `curl`), and a command that serves,
//!   opens the REPL or writes files (`serve`, `repl`, `init`, `import`,
//!   `export`, `chart`, `--out`, `--chart`, `snapshot --update` or
//!   `--review`) is passed over. ```` ```sh no-run ```` marks a synopsis.
//! - A ```` ```text ```` block right after a ```` ```sh ```` block (blank
//!   lines between at most) is that command's output: the `sh` block must
//!   hold exactly one command that runs, and each line of the text that is
//!   not blank or `...` must be a line of what it prints (trailing spaces
//!   aside), in order. Standard output is read; for a command that is to
//!   fail, standard error after it. ```` ```text abridged ```` opts out.
//! - A ```` ```charter ```` block must load as a whole charter;
//!   ```` ```charter fragment ```` must parse.
//! - Every fenced block says what it holds, and every relative link (and
//!   its `#anchor`) points at a file (and heading) that exists.
//!
//! `docs/errors.md` is run by `error_catalog.rs` instead.

use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one example may run.
const TIME_LIMIT: Duration = Duration::from_secs(120);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The files the examples live in: README.md and `docs/*.md` but errors.md.
fn pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter(|p| p.file_name().is_some_and(|n| n != "errors.md"))
        .collect();
    pages.sort();
    pages.insert(0, root().join("README.md"));
    pages
}

/// The path of `file` as shown in a report: relative to the root.
fn shown(file: &Path) -> String {
    file.strip_prefix(root())
        .unwrap_or(file)
        .display()
        .to_string()
}

// ------------------------------------------------------------ markdown

/// A fenced block: the words of its info string, its lines (each with its
/// line number, from 1), and whether it follows the previous block with
/// nothing but blank lines between.
#[derive(Debug)]
struct Block {
    info: Vec<String>,
    line: usize,
    lines: Vec<(usize, String)>,
    follows: bool,
}

impl Block {
    fn kind(&self) -> &str {
        self.info.first().map_or("", String::as_str)
    }

    fn marked(&self, word: &str) -> bool {
        self.info.iter().skip(1).any(|w| w == word)
    }

    fn text(&self) -> String {
        self.lines.iter().fold(String::new(), |mut s, (_, l)| {
            s.push_str(l);
            s.push('\n');
            s
        })
    }
}

/// The fenced blocks of a markdown text, and its lines outside them.
fn parse_markdown(text: &str) -> (Vec<Block>, Vec<(usize, &str)>) {
    let mut blocks: Vec<Block> = Vec::new();
    let mut prose = Vec::new();
    let mut open: Option<(usize, Block)> = None;
    let mut only_blank_since_block = false;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some((fence_indent, block)) = open.as_mut() {
            if trimmed.trim_end() == "```" {
                blocks.push(open.take().unwrap().1);
                only_blank_since_block = true;
            } else {
                let body = line.get(*fence_indent..).unwrap_or(trimmed);
                block.lines.push((n, body.to_string()));
            }
        } else if let Some(info) = trimmed.strip_prefix("```") {
            let block = Block {
                info: info.split_whitespace().map(str::to_string).collect(),
                line: n,
                lines: Vec::new(),
                follows: only_blank_since_block,
            };
            open = Some((indent, block));
        } else {
            only_blank_since_block &= line.trim().is_empty();
            prose.push((n, line));
        }
    }
    if let Some((_, block)) = open {
        blocks.push(block);
    }
    (blocks, prose)
}

// ------------------------------------------------------------ shell words

/// A command line split as a POSIX shell splits it.
#[derive(Debug, Default, PartialEq)]
struct Words {
    words: Vec<String>,
    /// The comment after an unquoted `#` that starts a word, trimmed.
    comment: Option<String>,
    /// An unquoted `|`, `>`, `<`, `;` or `&`, or a command substitution:
    /// something more than one command with its arguments.
    shell: bool,
}

/// Splits `line` into words: single quotes keep everything, double quotes
/// all but `$`, `` ` `` and `\`; `$` and a digit is a positional parameter,
/// empty (as in a shell just opened: `"$25M"` is `5M`); any other expansion
/// is refused, since what it gives depends on the shell.
fn split(line: &str) -> Result<Words, String> {
    let mut out = Words::default();
    let mut word: Option<String> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if let Some(w) = word.take() {
                    out.words.push(w);
                }
            }
            '#' if word.is_none() => {
                out.comment = Some(chars.collect::<String>().trim().to_string());
                break;
            }
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return Err("an unclosed single quote".into()),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('$' | '`' | '"' | '\\')) => w.push(c),
                            Some(c) => {
                                w.push('\\');
                                w.push(c);
                            }
                            None => return Err("an unclosed double quote".into()),
                        },
                        Some('$') => dollar(&mut chars, w, &mut out.shell)?,
                        Some('`') => out.shell = true,
                        Some(c) => w.push(c),
                        None => return Err("an unclosed double quote".into()),
                    }
                }
            }
            '\\' => {
                if let Some(c) = chars.next() {
                    word.get_or_insert_with(String::new).push(c);
                }
            }
            '$' => dollar(
                &mut chars,
                word.get_or_insert_with(String::new),
                &mut out.shell,
            )?,
            '|' | '>' | '<' | ';' | '&' | '`' | '(' | ')' => {
                out.shell = true;
                word.get_or_insert_with(String::new).push(c);
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    if let Some(w) = word {
        out.words.push(w);
    }
    Ok(out)
}

/// A `$` outside single quotes, the characters after it still in `chars`.
fn dollar(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    word: &mut String,
    shell: &mut bool,
) -> Result<(), String> {
    match chars.peek().copied() {
        Some(d) if d.is_ascii_digit() => {
            chars.next();
            Ok(())
        }
        Some('(') => {
            *shell = true;
            word.push('$');
            Ok(())
        }
        Some(c) if c.is_alphanumeric() || "_{@*#?!-".contains(c) => Err(format!(
            "`${c}…` is a shell variable, which the guide's examples do not use"
        )),
        _ => {
            word.push('$');
            Ok(())
        }
    }
}

// ------------------------------------------------------------ examples

/// A command of a `sh` block, with the line it starts on.
#[derive(Debug)]
struct Example {
    line: usize,
    text: String,
    todo: Todo,
}

/// What to do with an example.
#[derive(Debug)]
enum Todo {
    /// Run `charter` with these arguments; it must exit with this code.
    Run(Vec<String>, i32),
    /// Pass it over, for this reason.
    Skip(&'static str),
    /// It cannot be read (an unclosed quote, a shell variable).
    Bad(String),
}

/// Subcommands that serve, prompt or write files.
const NOT_RUN: [&str; 6] = ["serve", "repl", "init", "import", "export", "chart"];
/// Options that write files or prompt.
const NOT_RUN_OPTIONS: [&str; 5] = ["--out", "-o", "--chart", "--update", "--review"];

/// The commands of a `sh` block.
fn examples(block: &Block) -> Vec<Example> {
    let mut logical: Vec<(usize, String)> = Vec::new();
    let mut continued = false;
    for (n, line) in &block.lines {
        let (body, more) = match line.trim_end().strip_suffix('\\') {
            Some(body) => (body, true),
            None => (line.as_str(), false),
        };
        match logical.last_mut() {
            Some((_, text)) if continued => {
                text.push(' ');
                text.push_str(body.trim());
            }
            _ => logical.push((*n, body.trim().to_string())),
        }
        continued = more;
    }
    logical
        .into_iter()
        .filter(|(_, text)| !text.is_empty() && !text.starts_with('#'))
        .map(|(line, text)| Example {
            line,
            todo: todo(&text),
            text,
        })
        .collect()
}

/// What to do with a command line.
fn todo(text: &str) -> Todo {
    let Some(rest) = text
        .strip_prefix("charter ")
        .or_else(|| text.strip_prefix("cargo run --release -- "))
    else {
        return Todo::Skip("not a charter command");
    };
    let words = match split(rest) {
        Ok(words) => words,
        Err(e) => return Todo::Bad(e),
    };
    if words.shell {
        return Todo::Skip("a pipe, redirection or substitution");
    }
    if words
        .words
        .first()
        .is_some_and(|w| NOT_RUN.contains(&w.as_str()))
    {
        return Todo::Skip("serves, prompts or writes files");
    }
    if words.words.iter().any(|w| {
        NOT_RUN_OPTIONS
            .iter()
            .any(|o| w == o || w.starts_with(&format!("{o}=")))
    }) {
        return Todo::Skip("writes files or prompts");
    }
    let exit = match words.comment.as_deref().map(|c| c.strip_prefix("exit ")) {
        Some(Some(code)) => match code.trim().parse() {
            Ok(code) => code,
            Err(_) => return Todo::Bad(format!("`# exit {code}` is not an exit code")),
        },
        _ => 0,
    };
    Todo::Run(words.words, exit)
}

/// What a command did.
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary with `args` from the root, output piped (so tables are
/// 80 columns wide) and colour off.
fn run(args: &[String]) -> Ran {
    let mut child = Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env(
            "CHARTER_HISTORY",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("guide.history"),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let reader = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = reader(Box::new(child.stdout.take().unwrap()));
    let stderr = reader(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > TIME_LIMIT {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut stderr = stderr.join().unwrap();
    if status.is_none() {
        let _ = write!(stderr, "\n(killed after {} s)", TIME_LIMIT.as_secs());
    }
    Ran {
        code: status.and_then(|s| s.code()),
        stdout: stdout.join().unwrap(),
        stderr,
    }
}

/// At most the first 60 lines of `text`, indented, for a report.
fn excerpt(text: &str) -> String {
    let mut s: String = text.lines().take(60).fold(String::new(), |mut s, l| {
        let _ = writeln!(s, "    | {l}");
        s
    });
    if text.lines().count() > 60 {
        s.push_str("    | ...\n");
    }
    s
}

/// The report of an example that went wrong.
fn report(file: &str, example: &Example, what: &str, ran: Option<&Ran>) -> String {
    let mut s = format!("{file}:{}: {}\n  {what}\n", example.line, example.text);
    if let Some(ran) = ran {
        let _ = write!(
            s,
            "  exit code: {:?}\n  stdout:\n{}  stderr:\n{}",
            ran.code,
            excerpt(&ran.stdout),
            excerpt(&ran.stderr)
        );
    }
    s
}

/// The first line of `expected` (but blanks and `...`) that is not, in
/// order, a line of `actual`, trailing spaces aside.
fn missing_line<'a>(expected: &'a Block, actual: &str) -> Option<(usize, &'a str)> {
    let mut actual = actual.lines().map(str::trim_end);
    expected
        .lines
        .iter()
        .map(|(n, l)| (*n, l.trim_end()))
        .filter(|(_, l)| !l.trim().is_empty() && l.trim() != "...")
        .find(|(_, l)| !actual.any(|a| a == *l))
}

/// What the examples of a page did: a report of each that went wrong, and
/// how many commands ran, outputs were compared and charters read.
#[derive(Debug, Default)]
struct Checked {
    failures: Vec<String>,
    commands: usize,
    outputs: usize,
    charters: usize,
}

/// Every example of one markdown text, `file` naming it in reports.
fn check_markdown(file: &str, text: &str) -> Checked {
    let (blocks, _) = parse_markdown(text);
    let mut checked = Checked::default();
    let failures = &mut checked.failures;
    // The one command run by the previous `sh` block, and what it did.
    let mut last: Option<(Example, Ran)> = None;
    let mut previous_was_sh = false;
    for block in &blocks {
        let follows_sh = previous_was_sh && block.follows;
        previous_was_sh = block.kind() == "sh";
        match block.kind() {
            "sh" if block.marked("no-run") => last = None,
            "sh" => {
                let mut ran = Vec::new();
                for example in examples(block) {
                    match &example.todo {
                        Todo::Skip(_) => ran.push(None),
                        Todo::Bad(why) => failures.push(report(file, &example, why, None)),
                        Todo::Run(args, exit) => {
                            let result = run(args);
                            checked.commands += 1;
                            if result.code != Some(*exit) {
                                let what = format!("expected exit code {exit}");
                                failures.push(report(file, &example, &what, Some(&result)));
                            }
                            ran.push(Some((example, result)));
                        }
                    }
                }
                last = match <[_; 1]>::try_from(ran) {
                    Ok([one]) => one,
                    Err(_) => None,
                };
            }
            "text" if follows_sh && !block.marked("abridged") => match last.take() {
                None => failures.push(format!(
                    "{file}:{}: this output follows a `sh` block that does not run exactly one \
                     command; mark it ```text abridged or give the command a block of its own\n",
                    block.line
                )),
                Some((example, ran)) => {
                    checked.outputs += 1;
                    let mut printed = ran.stdout.clone();
                    if matches!(example.todo, Todo::Run(_, exit) if exit != 0) {
                        printed.push_str(&ran.stderr);
                    }
                    if let Some((n, line)) = missing_line(block, &printed) {
                        let what = format!(
                            "the output shown at line {n} is not printed (in that order):\n    \
                             {line}"
                        );
                        failures.push(report(file, &example, &what, Some(&ran)));
                    }
                }
            },
            "charter" => {
                checked.charters += 1;
                let name = format!("{file}:{}", block.line);
                let text = block.text();
                let source = charter::diagnostic::Source::new(&name, text.as_str());
                let problems = if block.marked("fragment") {
                    charter::syntax::parse_file(&text)
                        .err()
                        .map(|p| charter::diagnostic::attach(vec![p], &source))
                } else {
                    charter::check::load(&source).err()
                };
                let problem = problems.map(|p| charter::render::diagnostics::render(&p, false));
                if let Some(problem) = problem {
                    failures.push(format!(
                        "{name}: this charter does not {}:\n{}",
                        if block.marked("fragment") {
                            "parse"
                        } else {
                            "load (mark a part of one ```charter fragment)"
                        },
                        excerpt(&problem)
                    ));
                }
                last = None;
            }
            "" => failures.push(format!(
                "{file}:{}: a fenced block without an info string (sh, text, charter, json, ...)\n",
                block.line
            )),
            _ => last = None,
        }
    }
    checked
}

// ------------------------------------------------------------ links

/// The anchor GitHub gives a heading: lowercase, spaces to `-`, punctuation
/// but `-` and `_` dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a markdown text's headings (a repeated one gets `-1`, ...).
fn anchors(text: &str) -> Vec<String> {
    let (_, prose) = parse_markdown(text);
    let mut seen: Vec<String> = Vec::new();
    for (_, line) in prose {
        let Some(heading) = line.strip_prefix('#') else {
            continue;
        };
        let heading = heading.trim_start_matches('#');
        if !heading.starts_with(' ') {
            continue;
        }
        let base = slug(heading);
        let repeats = seen
            .iter()
            .filter(|s| **s == base || s.strip_prefix(&base).is_some_and(is_suffix))
            .count();
        seen.push(if repeats == 0 {
            base
        } else {
            format!("{base}-{repeats}")
        });
    }
    seen
}

fn is_suffix(s: &str) -> bool {
    s.strip_prefix('-')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// The relative links of a markdown file that lead nowhere.
fn broken_links(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let (_, prose) = parse_markdown(&text);
    let mut broken = Vec::new();
    for (n, line) in prose {
        for (i, _) in line.match_indices("](") {
            let rest = line.get(i + 2..).unwrap_or("");
            let Some(end) = rest.find(')') else { continue };
            let target = rest.get(..end).unwrap_or("");
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
            let resolved = if path.is_empty() {
                file.to_path_buf()
            } else {
                file.parent().unwrap().join(path)
            };
            let at = format!("{}:{n}: link `{target}`", shown(file));
            if !resolved.exists() {
                broken.push(format!("{at}: no such file"));
            } else if !anchor.is_empty() && resolved.extension().is_some_and(|x| x == "md") {
                let headings = anchors(&std::fs::read_to_string(&resolved).unwrap());
                if !headings.iter().any(|h| h == anchor) {
                    broken.push(format!("{at}: no heading `#{anchor}` there"));
                }
            }
        }
    }
    broken
}

// ------------------------------------------------------------ tests

#[test]
fn guide_examples_run() {
    let pages = pages();
    let checked: Vec<Checked> = std::thread::scope(|scope| {
        let runs: Vec<_> = pages
            .iter()
            .map(|page| {
                scope.spawn(move || {
                    let text = std::fs::read_to_string(page).unwrap();
                    check_markdown(&shown(page), &text)
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let failures: Vec<&str> = checked
        .iter()
        .flat_map(|c| &c.failures)
        .map(String::as_str)
        .collect();
    assert!(
        failures.is_empty(),
        "{} example(s) in the guide fail:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
    // So that the test cannot pass by finding nothing to run.
    let count = |f: fn(&Checked) -> usize| checked.iter().map(f).sum::<usize>();
    let (commands, outputs, charters) = (
        count(|c| c.commands),
        count(|c| c.outputs),
        count(|c| c.charters),
    );
    println!(
        "guide: {commands} commands run, {outputs} outputs compared, {charters} charters read"
    );
    assert!(commands >= 12, "only {commands} commands ran");
    assert!(outputs >= 6, "only {outputs} outputs compared");
    assert!(charters >= 4, "only {charters} charters read");
}

#[test]
fn guide_links_lead_somewhere() {
    let broken: Vec<String> = pages().iter().flat_map(|p| broken_links(p)).collect();
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn guide_index_lists_every_page() {
    let index = std::fs::read_to_string(root().join("docs/README.md")).unwrap();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for page in pages().iter().skip(1) {
        let name = page.file_name().unwrap().to_str().unwrap();
        if name != "README.md" {
            assert!(
                index.contains(&format!("]({name}")),
                "docs/README.md does not link {name}"
            );
        }
        assert!(
            readme.contains(&format!("](docs/{name}")),
            "README.md does not link docs/{name}"
        );
    }
}

#[test]
fn guide_splitter_reads_as_a_shell_does() {
    let w = split(r#"payout f.charter '$50M' "a b" c\ d  # exit 2"#).unwrap();
    assert_eq!(w.words, ["payout", "f.charter", "$50M", "a b", "c d"]);
    assert_eq!(w.comment.as_deref(), Some("exit 2"));
    assert!(!w.shell);
    // In double quotes, or bare, `$2` is the shell's second argument: empty.
    assert_eq!(
        split(r#"payout f "$25M""#).unwrap().words,
        ["payout", "f", "5M"]
    );
    assert_eq!(split("payout f $25M").unwrap().words, ["payout", "f", "5M"]);
    assert_eq!(
        split(r#"q 'a "b" $c' "it's""#).unwrap().words,
        ["q", r#"a "b" $c"#, "it's"]
    );
    assert_eq!(split("a#b").unwrap().words, ["a#b"]);
    assert!(split("curve f 0 '$1B' > out.csv").unwrap().shell);
    assert!(split("check $(ls)").unwrap().shell);
    assert!(!split("q f 'price < $5'").unwrap().shell);
    assert!(split("payout f $HOME").is_err());
    assert!(split("payout f 'open").is_err());
}

#[test]
fn guide_runner_reports_what_fails() {
    let page = "Text.\n\n```sh\ncharter payout charters/avesta.charter '$50M' --no-such-flag\n\
                charter payout charters/avesta.charter \"$25M\"   # exit 1\n```\n";
    let failures = check_markdown("fake.md", page).failures;
    assert_eq!(failures.len(), 1, "{failures:#?}");
    assert!(
        failures[0].starts_with("fake.md:4: charter payout charters/"),
        "{}",
        failures[0]
    );
    assert!(failures[0].contains("--no-such-flag"), "{}", failures[0]);

    // Output shown must be printed; a command that fails may show its stderr.
    let page = "```sh\ncharter payout charters/avesta.charter '$50M'\n```\n\n```text\n\
                Payout of $50,000,000.00 on liquidation\n...\n\
                Payout of $49,999,999.00 on liquidation\n```\n\n\
                ```sh\ncharter payout charters/avesta.charter '$5M' --no-such-flag   # exit 2\n```\n\n\
                ```text\n...\nerror: unexpected argument '--no-such-flag' found\n```\n";
    let failures = check_markdown("fake.md", page).failures;
    assert_eq!(failures.len(), 1, "{failures:#?}");
    assert!(failures[0].contains("shown at line 8"), "{}", failures[0]);

    // A charter that does not load; a block that does not say what it is;
    // output after a block of two commands.
    let page = "```charter\ncharter \"X\" { filed 2020-01-01 }\nstock A \"A\" { preferred }\n```\n\
                ```charter fragment\nliquidation { A senior to B }\n```\n\
                ```\nwhat\n```\n\
                ```sh\ncharter check charters/avesta.charter\ncharter check charters/scc.charter\n```\n\
                ```text\nanything\n```\n";
    let failures = check_markdown("fake.md", page).failures;
    assert_eq!(failures.len(), 3, "{failures:#?}");
    assert!(failures[0].starts_with("fake.md:1: this charter does not load"));
    assert!(failures[1].starts_with("fake.md:8: a fenced block without"));
    assert!(failures[2].starts_with("fake.md:15: this output follows"));
}

#[test]
fn guide_anchors_are_github_s() {
    assert_eq!(
        slug(" The exit curve: `breakpoints` and `curve`"),
        "the-exit-curve-breakpoints-and-curve"
    );
    assert_eq!(
        anchors("# A\n## B\n```sh\n# not a heading\n```\n## B\n"),
        ["a", "b", "b-1"]
    );
}
