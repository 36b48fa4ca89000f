//! Leaves of the tree: names, figures, dates, sections and spans, read exactly, and the helpers every builder uses.

use super::*;

pub(super) fn event_ref(pair: P) -> Result<Spanned<String>, Problem> {
    let v = next(&mut pair.into_inner())?;
    Ok(if v.as_rule() == Rule::string {
        string(v)
    } else {
        text_of(v)
    })
}

pub(super) fn class_list(pair: P) -> Result<Vec<Spanned<String>>, Problem> {
    pair.into_inner().map(class_ref).collect()
}

/// A class as written: `class_ref` (a name or a quoted name) or, in a
/// statement, `named_class` (which may also be a display name unquoted).
pub(super) fn class_ref(pair: P) -> Result<Spanned<String>, Problem> {
    let span = span_of(&pair);
    let v = next(&mut pair.into_inner())?;
    let mut s = match v.as_rule() {
        Rule::string => string(v),
        Rule::class_words => Spanned {
            node: v
                .into_inner()
                .map(|w| w.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            span,
        },
        _ => text_of(v),
    };
    s.span = span;
    Ok(s)
}

pub(super) fn decimal(pair: P) -> Result<Spanned<Decimal>, Problem> {
    let span = span_of(&pair);
    if pair.as_str().starts_with('-') {
        return Err(num::negative_problem(pair.as_str(), span));
    }
    let text = pair.as_str().trim_start_matches('$');
    Ok(Spanned {
        node: num::parse_digits(text, span)?,
        span,
    })
}

pub(super) fn amount(pair: P) -> Result<Spanned<Decimal>, Problem> {
    let span = span_of(&pair);
    Ok(Spanned {
        node: num::parse_amount(pair.as_str(), span)?,
        span,
    })
}

/// A percentage such as `50%`, as a fraction (`0.5`).
pub(super) fn percent(pair: P) -> Result<Spanned<Decimal>, Problem> {
    let span = span_of(&pair);
    Ok(Spanned {
        node: num::parse_percent(pair.as_str(), span)?,
        span,
    })
}

pub(super) fn multiple(pair: P) -> Result<Spanned<Decimal>, Problem> {
    let span = span_of(&pair);
    Ok(Spanned {
        node: num::parse_multiple(pair.as_str(), span)?,
        span,
    })
}

/// A `YYYY-MM-DD` date that exists on the calendar.
pub(super) fn date(pair: P) -> Result<Spanned<NaiveDate>, Problem> {
    let d = text_of(pair);
    match NaiveDate::parse_from_str(&d.node, "%Y-%m-%d") {
        Ok(node) => Ok(Spanned { node, span: d.span }),
        Err(_) => Err(
            Problem::new(Kind::BadDate(d.node.clone()), d.span, "no such day")
                .with_help("write the date as year-month-day, e.g. `1999-09-24`"),
        ),
    }
}

pub(super) fn section(pair: P) -> Spanned<String> {
    let span = span_of(&pair);
    let reference = pair
        .into_inner()
        .next()
        .map(|r| r.as_str().to_string())
        .unwrap_or_default();
    Spanned {
        node: reference,
        span,
    }
}

pub(super) fn string(pair: P) -> Spanned<String> {
    let span = span_of(&pair);
    let inner = pair
        .into_inner()
        .next()
        .map(|i| i.as_str().to_string())
        .unwrap_or_default();
    Spanned { node: inner, span }
}

pub(super) fn text_of(pair: P) -> Spanned<String> {
    Spanned {
        node: pair.as_str().to_string(),
        span: span_of(&pair),
    }
}

thread_local! {
    /// Where in the file the text being parsed starts: a file is parsed an
    /// item at a time ([`super::parse_items`]), and pest counts from the
    /// start of the item's text.
    static BASE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Sets [`BASE`] while it lives, and puts it back to 0 when dropped.
pub(super) struct Base;

impl Base {
    /// Spans are counted from `offset` until the guard is dropped.
    pub(super) fn at(offset: usize) -> Base {
        BASE.with(|b| b.set(offset));
        Base
    }
}

impl Drop for Base {
    fn drop(&mut self) {
        BASE.with(|b| b.set(0));
    }
}

/// A span of the text being parsed as a span of the file.
pub(super) fn in_file(start: usize, end: usize) -> Span {
    let base = BASE.with(std::cell::Cell::get);
    Span::new(base.saturating_add(start), base.saturating_add(end))
}

/// The pair's span, ending at its last token: pest keeps the whitespace and
/// comments it skipped before a trailing optional part that did not match,
/// and a clause's span should not run into the comment after it.
pub(super) fn span_of(pair: &P) -> Span {
    let s = pair.as_span();
    in_file(
        s.start(),
        s.start().saturating_add(token_end(pair.as_str())),
    )
}

/// Length of `text` up to the end of its last character that is neither
/// whitespace nor inside a comment.
pub(super) fn token_end(text: &str) -> usize {
    let mut end = 0;
    let mut in_string = false;
    let mut in_comment = false;
    for (i, c) in text.char_indices() {
        if in_comment {
            in_comment = c != '\n';
            continue;
        }
        match c {
            '"' => in_string = !in_string,
            '#' if !in_string => {
                in_comment = true;
                continue;
            }
            _ => {}
        }
        if in_string || !c.is_whitespace() {
            end = i.saturating_add(c.len_utf8());
        }
    }
    end
}

pub(super) fn next<'a, I: Iterator<Item = P<'a>>>(it: &mut I) -> Result<P<'a>, Problem> {
    it.next()
        .ok_or_else(|| internal("a part of the clause is missing"))
}

/// A grammar/builder mismatch: a defect of ours, reported rather than panicked.
pub(super) fn internal(what: &str) -> Problem {
    Problem::new(
        Kind::Syntax(format!("internal parser error: {what}")),
        Span::default(),
        "here",
    )
    .with_help("this is a defect in charter; please report it with the file")
}
