//! What is typed on the command line, read strictly, because a shell may
//! have changed it before charter sees it: in double quotes `"$25M"` reaches
//! the program as `5M` (the shell replaces `$2`, its second argument, with
//! nothing), and no check of `5M` can tell it from `5M` typed. So on the
//! command line an amount carries its `$` (`'$25M'`, in single quotes), in
//! an argument and in a statement alike; a percentage carries its `%`; a
//! term carries its unit or is a plain number of years. Statements in
//! `.charter` files and in the REPL keep all their forms: no shell stands
//! between them and the reader.

use crate::diagnostic::{Kind, Problem, Problems, Source};
use crate::ir::Span;

/// The problem of an amount written without `$`, at `span` of `text`.
fn bare(text: &str, span: Span) -> Problem {
    let amount = text.get(span.start..span.end).unwrap_or(text);
    Problem::new(Kind::BareAmount(amount.to_string()), span, "no `$`").with_help(format!(
        "write it with its dollar sign, in single quotes: '${amount}'. In double quotes a \
             shell replaces `$` and the digit after it with nothing (\"$25M\" arrives as `5M`), \
             so an amount without `$` may not be the one you typed"
    ))
}

/// Whether `text` is an amount as the command line takes it: `$` first
/// (after a `-`, which the amount's own reading refuses with its reason),
/// or a bare `0`.
fn carries_dollar(text: &str) -> bool {
    let t = text.trim();
    t.trim_start_matches('-').starts_with('$') || t == "0"
}

/// An argument that looks like an option (`--jsn`, `-x`), which clap took
/// as an amount because an amount may start with `-`.
fn option_like(text: &str) -> Option<&str> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some('-'), Some(c)) if c == '-' || c.is_ascii_alphabetic() => Some(text),
        _ => None,
    }
}

/// Checks amount arguments (`AMOUNT`, `--to`, `--equity`, ...), each named
/// as the problem's source: each must carry its `$`, then read as an amount.
pub fn money(args: &[(&str, &str)]) -> Result<(), Problems> {
    for (name, text) in args {
        if let Some(flag) = option_like(text) {
            return Err(crate::diagnostic::attach(
                vec![
                    Problem::new(
                        Kind::Syntax(format!("`{flag}` is not an option here")),
                        Span::new(0, text.len()),
                        "read as the amount",
                    )
                    .with_help("`charter COMMAND --help` lists the command's options"),
                ],
                &Source::new(*name, *text),
            ));
        }
        // An empty amount is what a shell leaves of `"$50"`: the amount's
        // own reading says so.
        if !text.trim().is_empty() && !carries_dollar(text) {
            let t = text.trim();
            let start = text.find(t).unwrap_or(0);
            let span = Span::new(start, start.saturating_add(t.len()));
            return Err(crate::diagnostic::attach(
                vec![bare(text, span)],
                &Source::new(*name, *text),
            ));
        }
    }
    super::amounts(args)
}

/// Checks a statement typed as an argument (`charter query`, `--after`):
/// every amount in it must carry its `$`.
pub fn statement(name: &str, text: &str) -> Result<(), Problems> {
    part_of_statement(name, "", text)
}

/// Checks `text`, typed as an argument that the command puts after
/// `prefix` to make a statement (`solve exit where ` and a goal).
pub fn part_of_statement(name: &str, prefix: &str, text: &str) -> Result<(), Problems> {
    let spans: Vec<Span> = crate::syntax::bare_amounts(&format!("{prefix}{text}"))
        .into_iter()
        .map(|s| {
            Span::new(
                s.start.saturating_sub(prefix.len()),
                s.end.saturating_sub(prefix.len()),
            )
        })
        .collect();
    if spans.is_empty() {
        return Ok(());
    }
    Err(crate::diagnostic::attach(
        spans.into_iter().map(|s| bare(text, s)).collect(),
        &Source::new(name, text),
    ))
}

/// Checks each of several statements typed as arguments, named `NAME N`.
pub fn statements(name: &str, texts: &[String]) -> Result<(), Problems> {
    for (i, t) in texts.iter().enumerate() {
        statement(&format!("{name} {}", i.saturating_add(1)), t)?;
    }
    Ok(())
}

/// A percentage argument (`--volatility 55%`, `--rate -0.5%`) as the value
/// statement writes it; a number without `%` is refused with what it would
/// be as a percentage.
pub fn percent(name: &str, text: &str) -> Result<String, Problems> {
    let t = text.trim();
    if t.ends_with('%') {
        return Ok(t.to_string());
    }
    // A fraction (`0.5`) was most likely meant as its hundredfold; a larger
    // number (`60`) as itself.
    let guess = t
        .parse::<rust_decimal::Decimal>()
        .ok()
        .and_then(|d| {
            if d.abs() <= rust_decimal::Decimal::ONE {
                d.checked_mul(rust_decimal::Decimal::ONE_HUNDRED)
            } else {
                Some(d)
            }
        })
        .map(|d| format!(" — did you mean {}%?", d.normalize()))
        .unwrap_or_default();
    let span = Span::new(0, text.len());
    Err(crate::diagnostic::attach(
        vec![
            Problem::new(Kind::BarePercent(t.to_string()), span, "no `%`").with_help(format!(
                "`{t}`{guess} A percentage carries its `%`: `{name} 50%` is fifty percent, \
                 `{name} 0.5%` half of one percent"
            )),
        ],
        &Source::new(name, text),
    ))
}

/// A term argument, as the value statement writes it: `3.5` and `3y`,
/// `3 years` are years; `36 months`, `18m`, `18mo` are months.
pub fn term(text: &str) -> Result<String, Problems> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_' || c == ','))
        .unwrap_or(t.len());
    let (number, unit) = (t.get(..split).unwrap_or(""), t.get(split..).unwrap_or(""));
    let unit = unit.trim().to_ascii_lowercase();
    let unit = match unit.as_str() {
        "" | "y" | "yr" | "yrs" | "year" | "years" => Some("years"),
        "m" | "mo" | "mos" | "month" | "months" => Some("months"),
        _ => None,
    };
    match unit {
        Some(u) if !number.is_empty() => Ok(format!("{number} {u}")),
        _ => Err(crate::diagnostic::attach(
            vec![
                Problem::new(
                    Kind::BadNumber(format!("`{t}` is not a term")),
                    Span::new(0, text.len()),
                    "not a number of years or months",
                )
                .with_help("write the years to the exit, `3.5`, `3y` or `3 years`, or the months, `36 months` or `18m`"),
            ],
            &Source::new("--term", text),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_carries_its_dollar() {
        for ok in ["$25M", "'$25M'", "0", "-$5M", " $1 "] {
            assert!(carries_dollar(ok.trim_matches('\'')), "{ok}");
        }
        for bad in ["25M", "5M", "25000000", "0M", "", "00", "-5M"] {
            assert!(!carries_dollar(bad), "{bad}");
        }
    }

    #[test]
    fn terms_take_their_units() {
        let cases = [
            ("3.5", "3.5 years"),
            ("3y", "3 years"),
            ("3 years", "3 years"),
            ("1 year", "1 years"),
            ("36 months", "36 months"),
            ("18m", "18 months"),
            ("18MO", "18 months"),
        ];
        for (typed, statement) in cases {
            assert_eq!(term(typed).ok().as_deref(), Some(statement), "{typed}");
        }
        for bad in ["", "y", "3 weeks", "three years", "3 y y"] {
            assert!(term(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_bare_percentage_is_refused_with_its_guess() {
        assert_eq!(percent("--rate", "4.2%").ok().as_deref(), Some("4.2%"));
        assert_eq!(percent("--rate", "-0.5%").ok().as_deref(), Some("-0.5%"));
        let p = percent("--volatility", "0.5").err().unwrap_or_default();
        let help = p.first().and_then(|p| p.help.clone()).unwrap_or_default();
        assert!(help.contains("did you mean 50%?"), "{help}");
        let p = percent("--keep", "60").err().unwrap_or_default();
        let help = p.first().and_then(|p| p.help.clone()).unwrap_or_default();
        assert!(help.contains("did you mean 60%?"), "{help}");
    }
}
