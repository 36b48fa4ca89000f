//! The line editor's helper: completion of keywords and the loaded charter's
//! names, highlighting, hints from history; [`incomplete`] tells the REPL
//! when pest says a statement ended early, so that it asks for more.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::HistoryHinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper, Hinter};

/// Statement and clause words offered for completion.
pub const KEYWORDS: &[&str] = &[
    "payout",
    "as",
    "issue",
    "grant",
    "options",
    "split",
    "combine",
    "stock",
    "dividend",
    "ipo",
    "raising",
    "net",
    "filed",
    "conversion",
    "prices",
    "convert",
    "for",
    "explain",
    "price",
    "on",
    "approve",
    "with",
    "and",
    "yes",
    "no",
    "affecting",
    "votes",
    "board",
    "of",
    "declare",
    "accrued",
    "redeem",
    "upon",
    "transaction",
    "funds",
    "requests",
    "excluded",
    "fees",
    "vested",
    "per",
    "share",
    "at",
];

/// Meta-commands, for completion and help.
pub const META: &[&str] = &[
    ":help", ":load", ":reload", ":reset", ":undo", ":history", ":format", ":explain", ":replace",
    ":add", ":diff", ":test", ":reading", ":save", ":quit",
];

/// The words that begin a statement, offered at the start of a line.
pub const STATEMENTS: &[&str] = &[
    "payout",
    "breakpoints",
    "curve",
    "solve",
    "value",
    "compare",
    "issue",
    "grant",
    "split",
    "combine",
    "stock",
    "ipo",
    "conversion",
    "convert",
    "explain",
    "on",
    "approve",
    "votes",
    "board",
    "declare",
    "accrued",
    "redeem",
];

/// The names of the loaded charter, by what they name.
#[derive(Debug, Default, Clone)]
pub struct Known {
    /// Classes, by short and display name.
    pub classes: Vec<String>,
    /// Named holders.
    pub holders: Vec<String>,
    /// Actions `approve` takes: the standard ones and the charter's own.
    pub actions: Vec<String>,
    /// Deemed liquidation events, by name and transaction kind.
    pub events: Vec<String>,
}

impl Known {
    /// Every name, for highlighting.
    fn all(&self) -> impl Iterator<Item = &String> {
        self.classes
            .iter()
            .chain(&self.holders)
            .chain(&self.actions)
            .chain(&self.events)
    }
}

/// The names of the loaded charter, shared with the editor.
pub type Names = Rc<RefCell<Known>>;

/// What the word being completed is, from the words before it.
#[derive(Debug, PartialEq)]
enum Slot {
    Meta,
    Path,
    Statement,
    Action,
    Class,
    Holder,
    Event,
    Any,
}

/// The slot the word after `head` fills.
fn slot(head: &str) -> Slot {
    let words: Vec<&str> = head.split_whitespace().collect();
    let first = words.first().copied().unwrap_or("");
    let last = words.last().copied().unwrap_or("");
    let voting = head.contains(" with ") && !head.contains(" and ");
    match (words.len(), first, last) {
        (0, _, _) => Slot::Statement,
        (_, ":load" | ":save", _) => Slot::Path,
        (_, f, _) if f.starts_with(':') && f != ":diff" => Slot::Any,
        (_, _, "approve") => Slot::Action,
        (_, _, "as") => Slot::Event,
        (_, _, "and" | "for") => Slot::Holder,
        (_, _, "with" | "convert" | "price" | "accrued" | "affecting" | "requests") => Slot::Class,
        (_, _, l) if l.ends_with(',') && voting => Slot::Class,
        (2, "issue", _) => Slot::Class,
        _ => Slot::Any,
    }
}

/// The editor helper.
#[derive(Hinter)]
pub struct ReplHelper {
    /// Names from the loaded charter: classes, holders, actions, events.
    pub names: Names,
    files: rustyline::completion::FilenameCompleter,
    /// Colour in highlighting.
    pub color: bool,
    #[rustyline(Hinter)]
    hinter: HistoryHinter,
}

impl ReplHelper {
    /// A helper completing `names`.
    pub fn new(names: Names, color: bool) -> Self {
        ReplHelper {
            names,
            files: rustyline::completion::FilenameCompleter::new(),
            color,
            hinter: HistoryHinter::new(),
        }
    }
}

impl Helper for ReplHelper {}

/// Where the word being typed starts.
fn word_start(line: &str, pos: usize) -> usize {
    let head = line.get(..pos).unwrap_or(line);
    // A quoted name runs back to its opening quote.
    if head.matches('"').count() % 2 == 1 {
        return head.rfind('"').unwrap_or(0);
    }
    head.rfind(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_' || c == ':'))
        .map_or(0, |i| i.saturating_add(1))
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let start = word_start(line, pos);
        let word = line.get(start..pos).unwrap_or("");
        let head = line.get(..start).unwrap_or("");
        let slot = if word.starts_with(':') && head.trim().is_empty() {
            Slot::Meta
        } else {
            slot(head)
        };
        if slot == Slot::Path {
            return self.files.complete_path(line, pos);
        }
        let known = self.names.borrow();
        let mut out = Vec::new();
        // A name with spaces or commas is offered quoted, matched on its
        // text with or without the opening quote typed: `Seri` and `"Seri`
        // both complete to `"Series `.
        let bare = word.strip_prefix('"').unwrap_or(word);
        let mut offer = |name: &str| {
            let replacement = if name.contains(' ') || name.contains(',') {
                format!("\"{name}\"")
            } else if word.starts_with('"') {
                return;
            } else {
                name.to_string()
            };
            if name.starts_with(bare) && !out.iter().any(|p: &Pair| p.replacement == replacement) {
                out.push(Pair {
                    display: name.to_string(),
                    replacement,
                });
            }
        };
        match slot {
            Slot::Meta => META.iter().for_each(|m| offer(m)),
            Slot::Statement => STATEMENTS.iter().for_each(|m| offer(m)),
            Slot::Action => known.actions.iter().for_each(|n| offer(n)),
            Slot::Class => known.classes.iter().for_each(|n| offer(n)),
            Slot::Holder => known.holders.iter().for_each(|n| offer(n)),
            Slot::Event => known.events.iter().for_each(|n| offer(n)),
            Slot::Path | Slot::Any => {
                known.all().for_each(|n| offer(n));
                KEYWORDS.iter().for_each(|k| offer(k));
            }
        }
        Ok((start, out))
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.color || line.starts_with(':') {
            return Cow::Borrowed(line);
        }
        let names = self.names.borrow();
        let mut out = String::new();
        let mut rest = line;
        while let Some(c) = rest.chars().next() {
            let len = if c == '"' {
                rest.get(1..)
                    .and_then(|r| r.find('"'))
                    .map_or(rest.len(), |i| i.saturating_add(2))
            } else if c == '$' {
                rest.find(char::is_whitespace).unwrap_or(rest.len())
            } else if c == '§' {
                // A section is the mark and the number after it: `§ 2(a)`.
                let after = c.len_utf8();
                let tail = rest.get(after..).unwrap_or("");
                let number = tail.len().saturating_sub(tail.trim_start().len());
                let end = tail
                    .get(number..)
                    .and_then(|t| t.find(char::is_whitespace))
                    .map_or(tail.len(), |i| number.saturating_add(i));
                after.saturating_add(end)
            } else if c.is_alphanumeric() {
                rest.find(|x: char| {
                    !(x.is_alphanumeric()
                        || x == '_'
                        || x == '-'
                        || x == '.'
                        || x == '%'
                        || x == ':')
                })
                .unwrap_or(rest.len())
            } else {
                c.len_utf8()
            };
            let token = rest.get(..len).unwrap_or(rest);
            let style = if token.starts_with('$')
                || token.chars().next().is_some_and(|x| x.is_ascii_digit())
            {
                Some("32")
            } else if token.starts_with('§') {
                Some("33")
            } else if KEYWORDS.contains(&token) {
                Some("1;34")
            } else if names
                .all()
                .any(|n| n == token || format!("\"{n}\"") == token)
            {
                Some("36")
            } else {
                None
            };
            match style {
                Some(s) => out.push_str(&format!("\x1b[{s}m{token}\x1b[0m")),
                None => out.push_str(token),
            }
            rest = rest.get(len..).unwrap_or("");
        }
        Cow::Owned(out)
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.color
    }
}

/// Every line is accepted as typed: an unfinished statement is continued by
/// the REPL's loop under its own `...` prompt, which rustyline's multi-line
/// editing cannot show.
impl Validator for ReplHelper {
    fn validate(&self, _ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(ValidationResult::Valid(None))
    }
}

/// Whether a block typed after `:add` has a `{` not yet closed, counting
/// neither quoted text nor `#` comments.
fn open_braces(block: &str) -> bool {
    let mut depth = 0i64;
    for line in block.lines() {
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                '#' if !quoted => break,
                '{' if !quoted => depth = depth.saturating_add(1),
                '}' if !quoted => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    depth > 0
}

/// Whether input stopped short: pest failed exactly at the statement's end
/// (a trailing comma, `approve merger with`, an unclosed quote), or an `:add`
/// block is still open.
pub fn incomplete(input: &str) -> bool {
    let text = input.trim_end();
    if let Some(block) = text.strip_prefix(":add") {
        return open_braces(block);
    }
    if text.is_empty() || text.starts_with(':') {
        return false;
    }
    if text.matches('"').count() % 2 == 1 {
        return true;
    }
    match crate::syntax::parse_query(text) {
        Ok(_) => false,
        Err(p) => p.span.start >= text.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfinished_statements_continue() {
        assert!(incomplete("approve merger with A 50%,"));
        assert!(incomplete("payout"));
        assert!(incomplete("convert D for \"Financial"));
        assert!(!incomplete("payout $50M"));
        assert!(!incomplete("pay $50M"));
        assert!(!incomplete(":help"));
        assert!(incomplete(":add protective provisions § 9 {"));
        assert!(incomplete(
            ":add protective provisions § 9 { # }\n  action x \"a }\""
        ));
        assert!(!incomplete(":add protective provisions § 9 {\n}"));
    }

    fn helper(color: bool) -> ReplHelper {
        let strings = |v: &[&str]| v.iter().map(|n| n.to_string()).collect();
        let known = Known {
            classes: strings(&["D", "Series D", "Series A"]),
            holders: strings(&["Pilgrim Baxter Hybrid Partners I, L.P."]),
            actions: strings(&["merger", "asset-sale"]),
            events: strings(&["merger", "Liquidation Transaction"]),
        };
        ReplHelper::new(Rc::new(RefCell::new(known)), color)
    }

    fn completions(line: &str) -> (usize, Vec<String>) {
        let history = rustyline::history::DefaultHistory::new();
        let ctx = Context::new(&history);
        let (start, pairs) = helper(false)
            .complete(line, line.len(), &ctx)
            .unwrap_or_default();
        (start, pairs.into_iter().map(|p| p.replacement).collect())
    }

    #[test]
    fn names_with_spaces_complete_quoted() {
        assert_eq!(
            completions("convert Seri"),
            (
                8,
                vec!["\"Series D\"".to_string(), "\"Series A\"".to_string()]
            )
        );
        assert_eq!(
            completions("convert C for \"Pil"),
            (
                14,
                vec!["\"Pilgrim Baxter Hybrid Partners I, L.P.\"".to_string()]
            )
        );
        assert_eq!(completions("approve mer").1, vec!["merger".to_string()]);
        assert_eq!(completions("pay").1, vec!["payout".to_string()]);
        assert_eq!(completions(":rel").1, vec![":reload".to_string()]);
    }

    /// Completion offers what fits where the cursor is: statements at the
    /// start, actions after `approve`, classes where a class goes, holders
    /// after `and`, events after `as`, files after `:load`.
    #[test]
    fn completion_knows_where_it_is() {
        let all = |line: &str| completions(line).1;
        assert!(all("").contains(&"payout".to_string()));
        assert!(!all("").contains(&"D".to_string()));
        assert_eq!(all("approve "), vec!["merger", "asset-sale"]);
        assert_eq!(
            all("approve merger with "),
            vec!["D", "\"Series D\"", "\"Series A\""]
        );
        assert_eq!(
            all("approve merger with D 50%, Series"),
            vec!["\"Series D\"", "\"Series A\""]
        );
        assert_eq!(
            all("approve merger with D 50%, \"Series A"),
            vec!["\"Series A\""]
        );
        assert_eq!(
            all("approve merger with D 50% and "),
            vec!["\"Pilgrim Baxter Hybrid Partners I, L.P.\""]
        );
        assert_eq!(
            all("payout 50M as "),
            vec!["merger", "\"Liquidation Transaction\""]
        );
        assert_eq!(all("issue 100 "), vec!["D", "\"Series D\"", "\"Series A\""]);
        let charters = completions(":load charters/ave").1;
        assert!(
            charters.contains(&"charters/avesta.charter".to_string()),
            "{charters:?}"
        );
    }

    #[test]
    fn highlighting_marks_keywords_amounts_sections_and_names() {
        let h = helper(true);
        let shown = h.highlight("payout $50M as merger § 2(a)", 0);
        assert_eq!(
            shown,
            "\x1b[1;34mpayout\x1b[0m \x1b[32m$50M\x1b[0m \x1b[1;34mas\x1b[0m \x1b[36mmerger\x1b[0m \x1b[33m§ 2(a)\x1b[0m"
        );
        // Without colour the line is shown as typed.
        assert_eq!(helper(false).highlight("payout $50M", 0), "payout $50M");
    }
}
