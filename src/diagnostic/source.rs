//! The texts problems point into, and their excerpts: a line index so that
//! rendering thousands of problems stays linear, control characters made
//! visible, and a window onto a very long line.

use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::Problem;
use super::Span;

/// A text that problems point into: a charter file or a query line.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name shown above excerpts (a path, or `query`).
    pub name: String,
    /// The text.
    pub text: Arc<str>,
    /// Where each line starts, shared by every problem pointing here.
    lines: Arc<[usize]>,
    /// The text as excerpts show it: control characters made visible, so
    /// that a file cannot retitle or recolour the reader's terminal.
    shown: Arc<str>,
}

impl Source {
    /// A source named `name` holding `text`.
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        Source {
            name: printable(&name.into()),
            lines: line_starts(&text).into(),
            shown: if text.chars().any(hidden) {
                printable(&text).into()
            } else {
                text.clone()
            },
            text,
        }
    }

    /// The text as miette reads it, excerpt by excerpt.
    pub fn excerpts(&self) -> Excerpts {
        Excerpts {
            name: self.name.clone(),
            text: self.shown.clone(),
            lines: self.lines.clone(),
        }
    }
}

/// A control character a terminal would act on (line breaks and tabs are
/// layout, not commands).
fn hidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

/// A character that reorders or breaks the text around it as shown: the
/// bidirectional controls (which can make text read differently from what
/// it is) and the Unicode line and paragraph separators.
pub fn reorders(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// `text` with each control character, and each character that
/// [`reorders`] the text, replaced by a visible one of the same length in
/// UTF-8 (`?` for the one-byte, `¿` for the two-byte, `�` for the
/// three-byte), so that every byte offset, and so every span, still points
/// where it did.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            c if !(hidden(c) || reorders(c)) => c,
            c if c.len_utf8() == 1 => '?',
            c if c.len_utf8() == 2 => '¿',
            _ => '\u{FFFD}',
        })
        .collect()
}

/// Where each line of `text` starts, with line breaks as miette counts them:
/// `\n`, `\r\n` and a lone `\r`.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (i, b) in bytes.iter().enumerate() {
        let ends_line = match b {
            b'\n' => true,
            b'\r' => bytes.get(i.saturating_add(1)) != Some(&b'\n'),
            _ => false,
        };
        if ends_line {
            starts.push(i.saturating_add(1));
        }
    }
    starts
}

/// A named text with its line index. miette finds an excerpt by scanning
/// from the start of the text; starting the scan at the excerpt's first line
/// instead keeps a file with thousands of problems linear to render.
#[derive(Debug, Clone)]
pub struct Excerpts {
    name: String,
    text: Arc<str>,
    lines: Arc<[usize]>,
}

impl Excerpts {
    /// The name of the file (or input) the excerpts come from.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl SourceCode for Excerpts {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let line = self
            .lines
            .partition_point(|&start| start <= span.offset())
            .saturating_sub(1);
        // One line more than the context: miette treats a span at offset 0
        // specially, so the scan must not start at the span unless the text does.
        let first = line.saturating_sub(before).saturating_sub(1);
        let base = self.lines.get(first).copied().unwrap_or(0);
        let rest: &'a str = self.text.get(base..).ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new(span.offset().saturating_sub(base).into(), span.len());
        let found = rest.read_span(&local, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            found.data(),
            SourceSpan::new(
                found.span().offset().saturating_add(base).into(),
                found.span().len(),
            ),
            found.line().saturating_add(first),
            found.column(),
            // miette counts the line breaks from the start of the text.
            found.line_count().saturating_add(first),
        )))
    }
}

/// Lines longer than this many bytes are excerpted as a window around the
/// span: miette cannot place a label past column 65,535 (it panics), and a
/// reader gains nothing from a line of a hundred thousand characters.
const WIDE_LINE: usize = 1_000;

/// How many bytes of a wide line are kept on each side of the span.
const WINDOW: usize = 160;

impl Problem {
    /// This problem as it can be shown: where its span lies on a line wider
    /// than [`WIDE_LINE`], or next to one (the excerpt shows a line of
    /// context either side), the excerpt is a window of the span's line
    /// around the span, named with the line and the column it starts at, and
    /// the notes outside the window are left out of the picture (kept in the
    /// text).
    pub fn windowed(&self) -> Problem {
        let Some(src) = &self.0.source else {
            return self.clone();
        };
        let text: &str = &src.text;
        let at = self.0.span.start.min(text.len());
        let line = src.lines.partition_point(|&s| s <= at).saturating_sub(1);
        let start = src.lines.get(line).copied().unwrap_or(0);
        let end = src
            .lines
            .get(line.saturating_add(1))
            .copied()
            .unwrap_or(text.len());
        let width = |l: usize| {
            let s = src.lines.get(l).copied().unwrap_or(text.len());
            let e = src
                .lines
                .get(l.saturating_add(1))
                .copied()
                .unwrap_or(text.len());
            e.saturating_sub(s)
        };
        let context_wide = (line > 0 && width(line.saturating_sub(1)) > WIDE_LINE)
            || width(line.saturating_add(1)) > WIDE_LINE;
        if end.saturating_sub(start) <= WIDE_LINE && !context_wide {
            return self.clone();
        }
        let boundary = |mut i: usize, up: bool| {
            while i > 0 && i < text.len() && !text.is_char_boundary(i) {
                if up {
                    i = i.saturating_add(1)
                } else {
                    i = i.saturating_sub(1)
                }
            }
            i
        };
        let len = self.0.span.end.saturating_sub(at).min(WINDOW);
        let lo = boundary(at.saturating_sub(WINDOW).max(start), false);
        let hi = boundary(at.saturating_add(len).saturating_add(WINDOW).min(end), true);
        let window = text
            .get(lo..hi)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r']);
        let column = text
            .get(start..lo)
            .map_or(0, |t| t.chars().count())
            .saturating_add(1);
        let name = format!(
            "{} (line {}, from column {column})",
            src.name,
            line.saturating_add(1)
        );
        let shift = |s: Span| {
            Span::new(
                s.start.saturating_sub(lo),
                s.end.min(hi).max(s.start).saturating_sub(lo),
            )
        };
        let mut p = self.clone();
        p.0.span = shift(Span::new(at, at.saturating_add(len)));
        p.0.notes.retain(|(s, _)| s.start >= lo && s.end <= hi);
        for (s, _) in &mut p.0.notes {
            *s = shift(*s);
        }
        p.0.source = Some(Source::new(name, window).excerpts());
        p
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::printable;

    /// Every replaced character keeps its length in bytes, so spans still
    /// point where they did; bidirectional controls and the Unicode line
    /// separator are replaced like control characters.
    #[test]
    fn printable_keeps_lengths_and_hides_what_reorders() {
        let text = "a\u{1b}b\u{85}c\u{202E}d\u{2028}e\u{61C}f\tg";
        let shown = printable(text);
        assert_eq!(shown, "a?b¿c\u{FFFD}d\u{FFFD}e¿f\tg");
        assert_eq!(shown.len(), text.len());
    }
}
