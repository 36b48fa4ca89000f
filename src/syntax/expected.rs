//! What a parse error says: the phrases for what was expected, a "did you
//! mean" for a misspelt keyword, and the clause forms of the block the error
//! is in, each with an example (from [`super::forms`]).

use super::ast::Span;
use super::grammar::Rule;
use crate::diagnostic::{Kind, Problem};

/// The most phrases an "expected ..." message lists; past it, those nearest
/// the word found are kept and the rest counted.
const LISTED: usize = 10;

/// Turns pest's error into our diagnostic: a position becomes a zero-length
/// span at the farthest point the parser reached, rule names and tokens
/// become phrases a reader knows, a misspelt keyword gets "did you mean",
/// and the help shows the clause forms accepted where the error is
/// (`statements`: the text is a query statement, not a charter).
pub(super) fn syntax_problem(e: pest::error::Error<Rule>, text: &str, statements: bool) -> Problem {
    use pest::error::{ErrorVariant, InputLocation};
    let (span, phrases, words) = match (&e.location, &e.variant) {
        (loc, ErrorVariant::CustomError { message }) => {
            let at = match loc {
                InputLocation::Pos(p) => *p,
                InputLocation::Span((a, _)) => *a,
            };
            return Problem::new(Kind::Syntax(message.clone()), Span::new(at, at), "here");
        }
        (loc, ErrorVariant::ParsingError { positives, .. }) => {
            let span = match loc {
                InputLocation::Pos(p) => Span::new(*p, *p),
                InputLocation::Span((a, b)) => Span::new(*a, *b),
            };
            let phrases = positives
                .iter()
                .filter_map(|r| phrase(*r))
                .map(str::to_string)
                .collect();
            detailed(&e, span, phrases)
        }
    };
    let found = text
        .get(span.start..)
        .and_then(|rest| rest.split_whitespace().next())
        .map(|w| crate::diagnostic::printable(&w.chars().take(24).collect::<String>()));
    let label = match &found {
        Some(w) => format!("found `{w}`"),
        None => "the text ends here".to_string(),
    };
    let problem = Problem::new(
        Kind::Syntax(expected(phrases, found.as_deref().unwrap_or(""))),
        span,
        label,
    );
    // A character pasted from another script reads as the letter the
    // grammar wanted: say so, rather than leave the reader puzzled.
    let pasted = text
        .get(span.start..)
        .and_then(|rest| rest.chars().next())
        .and_then(|c| crate::diagnostic::lookalike(&format!("a{c}")));
    if let Some((found, like)) = pasted {
        return problem.with_help(format!(
            "{}: retype it",
            crate::diagnostic::lookalike_help(found, like)
        ));
    }
    let typed: String = found
        .unwrap_or_default()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '\'')
        .collect();
    let candidates = || words.iter().map(String::as_str);
    let hint = (typed.len() > 2)
        .then(|| crate::diagnostic::closest(&typed, candidates()))
        .flatten();
    let mean = hint.and_then(|_| crate::diagnostic::did_you_mean(&typed, candidates()));
    let forms = super::forms::help(text, span.start, statements, hint);
    match (mean, forms) {
        (Some(m), Some(f)) => problem.with_help(format!("{m}\n{f}")),
        (Some(m), None) => problem.with_help(m),
        (None, Some(f)) => problem.with_help(f),
        (None, None) => problem,
    }
}

/// With error detail on, pest knows the literal tokens it wanted at the
/// farthest position; those say more than the enclosing rule. Returns the
/// span, the phrases, and the keywords that would have fitted.
fn detailed(
    e: &pest::error::Error<Rule>,
    mut span: Span,
    mut phrases: Vec<String>,
) -> (Span, Vec<String>, Vec<String>) {
    let Some(attempts) = e.parse_attempts().filter(|a| a.max_position >= span.start) else {
        return (span, phrases, Vec::new());
    };
    let words: Vec<String> = attempts
        .expected_tokens()
        .iter()
        .map(|t| t.to_string())
        .filter(|t| !t.trim().is_empty() && t != "#" && t != "\u{feff}")
        .collect();
    let tokens: Vec<String> = words.iter().map(|t| format!("`{t}`")).collect();
    let rules: Vec<String> = attempts
        .call_stacks()
        .iter()
        .filter_map(|c| phrase(c.deepest.get_rule().copied()?))
        .map(str::to_string)
        // Inside a block, "expected a block" only distracts from the token.
        .filter(|r| tokens.is_empty() || !r.starts_with("a block"))
        .collect();
    // A phrase ("an amount such as `$50M`") says what the raw tokens (`$`,
    // `0..9`) say, better; tokens only where no rule does.
    if !rules.is_empty() {
        span = Span::new(attempts.max_position, attempts.max_position);
        phrases = rules;
    } else if !tokens.is_empty() {
        span = Span::new(attempts.max_position, attempts.max_position);
        phrases = tokens;
    }
    (span, phrases, words)
}

/// "expected A, B or C", listing at most [`LISTED`] phrases: past that, the
/// ones nearest the word found, and how many more there are.
fn expected(mut phrases: Vec<String>, found: &str) -> String {
    phrases.dedup();
    let more = phrases.len().saturating_sub(LISTED);
    if more > 0 {
        phrases.sort_by(|a, b| {
            strsim::jaro_winkler(b.trim_matches('`'), found)
                .total_cmp(&strsim::jaro_winkler(a.trim_matches('`'), found))
        });
        phrases.truncate(LISTED);
        phrases.sort();
    }
    let tail = if more > 0 {
        format!(" (or one of {more} more)")
    } else {
        String::new()
    };
    match phrases.as_slice() {
        [] => "this text is not understood here".to_string(),
        [one] => format!("expected {one}{tail}"),
        many => {
            let (last, rest) = many
                .split_last()
                .map_or((String::new(), &[][..]), |(l, r)| (l.clone(), r));
            format!("expected {} or {last}{tail}", rest.join(", "))
        }
    }
}

/// The phrase for a rule in "expected ..." messages.
fn phrase(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "the end of the input",
        Rule::item | Rule::header | Rule::stock | Rule::holders | Rule::pool => {
            "a block (`charter`, `stock`, `holders`, `options`, `liquidation`, `deemed liquidation`, `conversion`)"
        }
        Rule::liquidation | Rule::deemed | Rule::conversion => {
            "a block (`charter`, `stock`, `holders`, `options`, `liquidation`, `deemed liquidation`, `conversion`)"
        }
        Rule::ident
        | Rule::class_ref
        | Rule::class_list
        | Rule::named_class
        | Rule::class_words => "a class name",
        Rule::string => "a quoted name",
        Rule::section => "a section citation such as `§ 2(a)`",
        Rule::section_ref => "a section reference after `§`, such as `§ 2(a)`",
        Rule::number => "a number",
        Rule::money => "a dollar amount such as `$1.00`",
        Rule::amount => "an amount such as `$50M`",
        Rule::multiple => "a multiple such as `1x`",
        Rule::percent => "a percentage such as `50%`",
        Rule::date => "a date such as `1999-09-24`",
        Rule::header_field | Rule::filed | Rule::jurisdiction | Rule::source_doc => {
            "`filed`, `jurisdiction` or `source`"
        }
        Rule::stock_field
        | Rule::kind_common
        | Rule::kind_preferred
        | Rule::authorized
        | Rule::par
        | Rule::outstanding
        | Rule::issue_price
        | Rule::conversion_price
        | Rule::conversion_ratio
        | Rule::declared_dividends
        | Rule::issued_on => {
            "a stock field (`common`, `preferred`, `authorized`, `par`, `outstanding`, `original issue price`, `conversion price`, ...)"
        }
        Rule::liquidation_clause
        | Rule::seniority
        | Rule::preference
        | Rule::shortfall
        | Rule::participation => {
            "a liquidation clause (seniority, `preference`, `shortfall`, participation)"
        }
        Rule::relation | Rule::senior_to | Rule::junior_to | Rule::pari_passu => {
            "`senior to`, `junior to` or `pari passu with`"
        }
        Rule::per_share_amount | Rule::of_issue_price | Rule::fixed_per_share => {
            "an amount per share (`1x original issue price` or `$1.00 per share`)"
        }
        Rule::plus_dividends => "`plus declared dividends`",
        Rule::shortfall_rule | Rule::by_preference | Rule::by_issue_price | Rule::by_shares => {
            "`full preferential amount`, `original issue price` or `shares`"
        }
        Rule::no_participation | Rule::participates => "`participates` or `does not participate`",
        Rule::cap => "a cap (`until 3x original issue price`)",
        Rule::cap_kind | Rule::in_total | Rule::in_addition => "`in total` or `more`",
        Rule::condition => "a condition (`while distribution per share < 4x original issue price`)",
        Rule::split_adjusted => "`adjusted for splits`",
        Rule::deemed_clause | Rule::deemed_on | Rule::deemed_election | Rule::deemed_unless => {
            "a deemed-liquidation clause (`on merger`, `only if elected by ...`, a preference or participation)"
        }
        Rule::event_kind => {
            "an event (`merger`, `consolidation`, `asset-sale`, `stock-sale`, `control-transfer`, `public-offering`)"
        }
        Rule::threshold | Rule::majority => "a threshold (`a majority` or a percentage)",
        Rule::conversion_clause
        | Rule::no_conversion
        | Rule::optional_conversion
        | Rule::group_conversion
        | Rule::conversion_cash => "a conversion clause",
        Rule::cash_item => "a class and its cash per share",
        Rule::payout_query | Rule::query => "a statement such as `payout $50M`",
        Rule::approve_conversion | Rule::vote_item => {
            "a class and the percentage voting for (`A 70%`)"
        }
        Rule::event_ref => "an event name",
        _ => return None,
    })
}
