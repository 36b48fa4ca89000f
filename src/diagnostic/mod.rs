//! Problems found in a charter or a query, written for the reader.
//!
//! A problem is its kind (what is wrong: a message and a stable code) plus its
//! location (a labeled span, optional further labels, and help). Kinds never
//! carry positions, so the same kind reads the same wherever it occurs.

use miette::{Diagnostic, LabeledSpan, SourceCode};
use std::fmt;

mod similar;
mod source;
mod span;

pub use similar::{closest, did_you_mean, lookalike, lookalike_help};
pub use source::{Excerpts, Source, printable, reorders};
pub use span::Span;

/// What is wrong. Each variant has a stable code, `charter::<stage>::<name>`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Kind {
    /// The text does not follow the grammar.
    #[error("{0}")]
    Syntax(String),
    /// A number is too large or too precise to be represented exactly.
    #[error("the number `{0}` is too large to compute with exactly")]
    NumberTooLarge(String),
    /// An amount has fractions of a cent, or a count fractions of a share.
    #[error("{0}")]
    BadNumber(String),
    /// An amount that can only be what a shell left of a `$` amount.
    #[error("{}", shell_remains_message(.0))]
    ShellRemains(String),
    /// An amount on the command line written without its `$`.
    #[error("`{0}` has no `$`: on the command line an amount is written with its dollar sign")]
    BareAmount(String),
    /// A percentage on the command line written without its `%`.
    #[error("`{0}` has no `%`: a percentage is written with its percent sign")]
    BarePercent(String),
    /// A date that does not exist.
    #[error("`{0}` is not a date")]
    BadDate(String),
    /// The file has no `charter` header.
    #[error("the file has no `charter` header")]
    MissingHeader,
    /// A term the file marks as not stated yet.
    #[error("not stated yet: {0}")]
    Todo(String),
    /// An Open Cap Format file the import cannot use.
    #[error("{file}: {object}: {message}")]
    OcfInput {
        /// The file, as named on the command line or in the manifest.
        file: String,
        /// The object (`STOCK_CLASS 8d83...`), or `the file`.
        object: String,
        /// What is wrong, naming the field.
        message: String,
    },
    /// A charter term that cannot be written as Open Cap Format.
    #[error("{0}")]
    OcfExport(String),
    /// A block that may appear once appears twice.
    #[error("{0} is given more than once")]
    Duplicate(String),
    /// A name used in a clause is not a declared class.
    #[error("unknown class `{0}`")]
    UnknownClass(String),
    /// A name that is no holder, pool or class (a group's member).
    #[error("unknown holder, pool or class `{0}`")]
    UnknownMember(String),
    /// A group that cannot be counted as one party.
    #[error("{0}")]
    BadGroup(String),
    /// Two classes share a name.
    #[error("the class `{0}` is declared more than once")]
    DuplicateClass(String),
    /// A stock block lacks a required field.
    #[error("`{class}` has no {field}")]
    MissingField {
        /// The class.
        class: String,
        /// The missing field, in words.
        field: String,
    },
    /// A price is zero or negative.
    #[error("{what} of `{class}` must be greater than zero")]
    NonPositivePrice {
        /// What price.
        what: String,
        /// The class.
        class: String,
    },
    /// More shares outstanding than authorized.
    #[error("`{class}` has {outstanding} shares outstanding but only {authorized} authorized")]
    OverAuthorized {
        /// The class.
        class: String,
        /// Outstanding, formatted.
        outstanding: String,
        /// Authorized, formatted.
        authorized: String,
    },
    /// An issuance would take a class past its authorized shares.
    #[error(
        "issuing {count} `{class}` would make {after} outstanding, more than the {authorized} the charter authorizes"
    )]
    IssueAboveAuthorized {
        /// The class.
        class: String,
        /// Shares issued, formatted.
        count: String,
        /// Outstanding after, formatted.
        after: String,
        /// Authorized, formatted.
        authorized: String,
    },
    /// Named holders hold more shares than are outstanding.
    #[error("named holders of `{class}` hold {held} shares but only {outstanding} are outstanding")]
    OverHeld {
        /// The class.
        class: String,
        /// Shares held by named holders, formatted.
        held: String,
        /// Outstanding, formatted.
        outstanding: String,
    },
    /// Seniority statements form a cycle.
    #[error("seniority is circular: {0}")]
    SeniorityCycle(String),
    /// A class is both pari passu with and senior or junior to another.
    #[error("`{a}` is stated to rank both equally with and ahead of `{b}`")]
    ContradictorySeniority {
        /// One class.
        a: String,
        /// The other.
        b: String,
    },
    /// Two classes with preferences have no stated order.
    #[error("the charter does not say how `{a}` ranks against `{b}`")]
    UnorderedClasses {
        /// One class.
        a: String,
        /// The other.
        b: String,
    },
    /// A shortfall clause names classes of different ranks, or a class twice.
    #[error("`{0}` is placed in two ranks")]
    ClassInTwoRanks(String),
    /// A rank of several classes has no shortfall rule.
    #[error("no shortfall rule for the rank of {0}")]
    MissingShortfall(String),
    /// A clause gives a class a term that another clause already gave it.
    #[error("the {what} of `{class}` is stated twice")]
    DuplicateTerm {
        /// What term.
        what: String,
        /// The class.
        class: String,
    },
    /// A preferred class with a preference has no participation clause.
    #[error("the charter file does not say whether `{0}` participates after its preference")]
    MissingParticipation(String),
    /// A preferred class has no liquidation preference.
    #[error("the liquidation provisions give `{0}` no preference")]
    MissingPreference(String),
    /// A clause the checker understands but the interpreter does not support here.
    #[error("{0}")]
    Unsupported(String),
    /// Cash on conversion for a class that has no conversion right.
    #[error("`{0}` receives cash on conversion but has no right to convert")]
    CashWithoutConversion(String),
    /// A preference or participation given to common stock.
    #[error("`{0}` is common stock and cannot have a {1}")]
    CommonTerm(String, String),
    /// A participation cap below the preference it must exceed.
    #[error(
        "the participation cap of `{class}` ({cap} per share) is below its preference ({preference} per share)"
    )]
    CapBelowPreference {
        /// The class.
        class: String,
        /// Cap, formatted.
        cap: String,
        /// Preference, formatted.
        preference: String,
    },
    /// A class that must convert (or be counted as converted) has no conversion terms.
    #[error("`{0}` has no conversion price or ratio")]
    MissingConversionTerms(String),
    /// A clause adjusts a conversion price, and the class states only a ratio.
    #[error("`{0}` states a conversion ratio, not a conversion price")]
    NeedsConversionPrice(String),
    /// A participation cap that does not say whether it includes the preference.
    #[error(
        "the cap on `{0}`'s participation does not say whether the preference counts toward it"
    )]
    UnstatedCap(String),
    /// A preferred class that no conversion clause names.
    #[error("the charter file does not say whether `{0}` converts into common")]
    UnstatedConversion(String),
    /// A class may convert in two ways.
    #[error("the conversion right of `{0}` is stated twice")]
    DuplicateConversion(String),
    /// A term needs the original issue price, which the class lacks.
    #[error("`{0}` has no original issue price")]
    MissingIssuePrice(String),
    /// A statement leaves out a fact the charter's answer depends on.
    #[error("{0}")]
    MissingFact(String),
    /// A statement asks for something the scenario or charter cannot give.
    #[error("{0}")]
    Impossible(String),
    /// An evaluation stopped by its budget (`charter serve`): its time was
    /// up, it held too much memory, or its client had gone.
    #[error("{0}")]
    Stopped(String),
    /// `on DATE` on the line after an event, which the grammar reads as
    /// that event's date rather than a statement of its own.
    #[error(
        "this `on {0}` is read as the date of the statement above it, not as a statement of its own"
    )]
    DateOnNextLine(String),
    /// The voting block does not say how a class votes.
    #[error("the voting block does not say how `{0}` votes")]
    MissingVotes(String),
    /// A consent counts voting power and the file states none.
    #[error("this consent counts voting power, and the charter file has no `voting` block")]
    NoVotingBlock,
    /// An action that is neither standard nor defined by the charter.
    #[error("unknown action `{0}`")]
    UnknownAction(String),
    /// A reading chosen that the charter file does not offer.
    #[error("the charter file offers no reading \"{0}\"")]
    UnknownReading(String),
    /// An alternative chosen that a reading does not offer.
    #[error("the reading \"{reading}\" has no alternative \"{alternative}\"")]
    UnknownAlternative {
        /// The reading.
        reading: String,
        /// The alternative asked for.
        alternative: String,
    },
    /// A query names an event the charter does not define.
    #[error("the charter has no deemed liquidation for `{0}`")]
    UnknownEvent(String),
    /// A percentage outside 0–100.
    #[error("`{0}` is not a percentage between 0% and 100%")]
    BadPercent(String),
    /// Arithmetic went beyond what can be represented exactly.
    #[error("the amounts are too large to compute exactly ({0})")]
    Overflow(String),
    /// The conversion decisions did not settle.
    #[error("no stable set of conversion decisions was found")]
    NoEquilibrium,
    /// A file could not be read.
    #[error("cannot read `{path}`: {reason}")]
    Unreadable {
        /// The path.
        path: String,
        /// Why, in words.
        reason: String,
    },
    /// A name mixes ASCII letters with a character that only looks like one.
    #[error("the name `{name}` contains `{found}`, which only looks like `{like}`")]
    Lookalike {
        /// The name as written.
        name: String,
        /// The lookalike character.
        found: char,
        /// The ASCII character it resembles.
        like: char,
    },
    /// A file could not be written.
    #[error("cannot write `{path}`: {reason}")]
    Unwritable {
        /// The path.
        path: String,
        /// Why, in words.
        reason: String,
    },
    /// A claim in an `expect` block has no answer before it to read.
    #[error("`{claim}` has nothing to read: it needs {needs} before it in the block")]
    ClaimWithoutAnswer {
        /// The claim, as written.
        claim: String,
        /// The statements that would answer it.
        needs: String,
    },
    /// A name that is neither a class nor a named holder.
    #[error("`{0}` is neither a class nor a holder named in the charter")]
    UnknownParty(String),
    /// An expectation whose answer differs from the charter's.
    #[error("`{claim}` does not hold: by the charter as encoded, {actual}")]
    ExpectationFailed {
        /// The expectation, as written.
        claim: String,
        /// What the charter, as encoded, answers, in a sentence.
        actual: String,
    },
    /// A path given to `charter test` or `charter snapshot` holds no charter.
    #[error("there is no `.charter` file in `{0}`")]
    NoCharters(String),
}

/// The message of [`Kind::ShellRemains`]: an empty amount is named as such.
fn shell_remains_message(text: &str) -> String {
    if text.is_empty() {
        "the amount is empty, as the shell leaves an amount written with `$` in double quotes"
            .to_string()
    } else {
        format!("`{text}` looks like what the shell left of an amount written with `$`")
    }
}

impl Kind {
    /// Whether problems of this kind are often the cause of others (a name
    /// that resolves to nothing leaves its class without the term): these
    /// are reported first.
    pub fn is_cause(&self) -> bool {
        matches!(
            self,
            Kind::UnknownClass(_) | Kind::DuplicateClass(_) | Kind::UnknownMember(_)
        )
    }

    /// The stable code of this kind of problem.
    pub fn code(&self) -> &'static str {
        match self {
            Kind::Syntax(_) => "charter::parse::syntax",
            Kind::NumberTooLarge(_) => "charter::parse::number_too_large",
            Kind::BadNumber(_) => "charter::parse::bad_number",
            Kind::ShellRemains(_) => "charter::parse::shell_remains",
            Kind::BareAmount(_) => "charter::cli::bare_amount",
            Kind::BarePercent(_) => "charter::cli::bare_percent",
            Kind::BadDate(_) => "charter::parse::bad_date",
            Kind::MissingHeader => "charter::check::missing_header",
            Kind::Todo(_) => "charter::check::todo",
            Kind::OcfInput { .. } => "charter::ocf::invalid",
            Kind::OcfExport(_) => "charter::ocf::export",
            Kind::Duplicate(_) => "charter::check::duplicate_block",
            Kind::UnknownClass(_) => "charter::check::unknown_class",
            Kind::UnknownMember(_) => "charter::check::unknown_member",
            Kind::BadGroup(_) => "charter::check::bad_group",
            Kind::DuplicateClass(_) => "charter::check::duplicate_class",
            Kind::MissingField { .. } => "charter::check::missing_field",
            Kind::NonPositivePrice { .. } => "charter::check::non_positive_price",
            Kind::IssueAboveAuthorized { .. } => "charter::query::above_authorized",
            Kind::OverAuthorized { .. } => "charter::check::outstanding_above_authorized",
            Kind::OverHeld { .. } => "charter::check::held_above_outstanding",
            Kind::SeniorityCycle(_) => "charter::check::seniority_cycle",
            Kind::ContradictorySeniority { .. } => "charter::check::contradictory_seniority",
            Kind::UnorderedClasses { .. } => "charter::check::unordered_classes",
            Kind::ClassInTwoRanks(_) => "charter::check::class_in_two_ranks",
            Kind::MissingShortfall(_) => "charter::check::missing_shortfall_rule",
            Kind::DuplicateTerm { .. } => "charter::check::duplicate_term",
            Kind::MissingParticipation(_) => "charter::check::missing_participation",
            Kind::MissingPreference(_) => "charter::check::missing_preference",
            Kind::Unsupported(_) => "charter::check::unsupported",
            Kind::CashWithoutConversion(_) => "charter::check::cash_without_conversion",
            Kind::CommonTerm(..) => "charter::check::term_on_common",
            Kind::CapBelowPreference { .. } => "charter::check::cap_below_preference",
            Kind::MissingConversionTerms(_) => "charter::check::missing_conversion_terms",
            Kind::NeedsConversionPrice(_) => "charter::check::needs_conversion_price",
            Kind::DuplicateConversion(_) => "charter::check::duplicate_conversion",
            Kind::UnstatedConversion(_) => "charter::check::unstated_conversion",
            Kind::UnstatedCap(_) => "charter::check::unstated_cap",
            Kind::MissingIssuePrice(_) => "charter::check::missing_issue_price",
            Kind::UnknownEvent(_) => "charter::query::unknown_event",
            Kind::UnknownReading(_) => "charter::check::unknown_reading",
            Kind::UnknownAlternative { .. } => "charter::check::unknown_alternative",
            Kind::UnknownAction(_) => "charter::check::unknown_action",
            Kind::MissingVotes(_) => "charter::check::missing_votes",
            Kind::NoVotingBlock => "charter::check::no_voting_block",
            Kind::MissingFact(_) => "charter::query::missing_fact",
            Kind::Impossible(_) => "charter::query::impossible",
            Kind::Stopped(_) => "charter::serve::stopped",
            Kind::DateOnNextLine(_) => "charter::check::date_on_next_line",
            Kind::BadPercent(_) => "charter::check::bad_percent",
            Kind::Overflow(_) => "charter::eval::overflow",
            Kind::NoEquilibrium => "charter::eval::no_equilibrium",
            Kind::Unreadable { .. } => "charter::io::unreadable",
            Kind::Unwritable { .. } => "charter::io::unwritable",
            Kind::Lookalike { .. } => "charter::check::lookalike",
            Kind::ClaimWithoutAnswer { .. } => "charter::check::claim_without_answer",
            Kind::UnknownParty(_) => "charter::check::unknown_party",
            Kind::ExpectationFailed { .. } => "charter::test::failed",
            Kind::NoCharters(_) => "charter::test::no_charters",
        }
    }
}

/// One problem: its kind, where it is, and what to do about it. Boxed, so
/// that results carrying one stay small on the path where nothing is wrong.
#[derive(Debug, Clone)]
pub struct Problem(Box<Details>);

/// The contents of a [`Problem`].
#[derive(Debug, Clone)]
pub struct Details {
    /// What is wrong.
    pub kind: Kind,
    /// The main span.
    pub span: Span,
    /// The label on the main span.
    pub label: String,
    /// Further labeled spans (the other side of a contradiction, say).
    pub notes: Vec<(Span, String)>,
    /// What to do about it.
    pub help: Option<String>,
    /// The text the spans point into.
    pub source: Option<Excerpts>,
}

impl Problem {
    /// A problem of `kind` at `span`, labeled `label`.
    pub fn new(kind: Kind, span: Span, label: impl Into<String>) -> Self {
        Problem(Box::new(Details {
            kind,
            span,
            label: label.into(),
            notes: Vec::new(),
            help: None,
            source: None,
        }))
    }

    /// Adds help.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a further labeled span, with room for it and not four.
    pub fn with_note(mut self, span: Span, label: impl Into<String>) -> Self {
        self.notes.reserve_exact(1);
        self.notes.push((span, label.into()));
        self
    }

    /// Attaches the text the spans point into.
    pub fn with_source(mut self, source: &Source) -> Self {
        self.source = Some(source.excerpts());
        self
    }
}

impl std::ops::Deref for Problem {
    type Target = Details;
    fn deref(&self) -> &Details {
        &self.0
    }
}

impl std::ops::DerefMut for Problem {
    fn deref_mut(&mut self) -> &mut Details {
        &mut self.0
    }
}

/// A message, label, help or name as a terminal may show it: what the user
/// typed or named can be in it, and no escape, bell or carriage return of
/// theirs may reach the terminal (each becomes `?`).
pub fn printable_line(text: &str) -> String {
    printable(text).replace('\r', "?")
}

/// A path as a terminal may show it ([`printable_line`]).
pub fn shown_path(path: &std::path::Path) -> String {
    printable_line(&path.display().to_string())
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", printable_line(&self.kind.to_string()))
    }
}

impl std::error::Error for Problem {}

impl Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.kind.code()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(printable_line(h)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let main = LabeledSpan::new_primary_with_span(Some(printable_line(&self.label)), self.span);
        let notes = self
            .notes
            .iter()
            .map(|(s, l)| LabeledSpan::new_with_span(Some(printable_line(l)), *s));
        Some(Box::new(std::iter::once(main).chain(notes)))
    }
}

/// Why a file could not be read or written, in words a reader can act on.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as E;
    match e.kind() {
        E::NotFound => "there is no such file or folder".to_string(),
        E::PermissionDenied => "permission denied".to_string(),
        E::IsADirectory => "it is a folder, not a file".to_string(),
        E::ReadOnlyFilesystem => "the disk is read-only".to_string(),
        other => other.to_string(),
    }
}

/// Several problems, all from one run.
pub type Problems = Vec<Problem>;

/// Attaches `source` to each problem that has none.
pub fn attach(problems: Problems, source: &Source) -> Problems {
    problems
        .into_iter()
        .map(|p| {
            if p.source.is_some() {
                p
            } else {
                p.with_source(source)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use miette::{SourceSpan, SpanContents};

    /// The excerpt miette would cut from the whole text, as comparable parts.
    fn parts(c: &dyn SpanContents<'_>) -> (Vec<u8>, usize, usize, usize, usize, usize) {
        (
            c.data().to_vec(),
            c.span().offset(),
            c.span().len(),
            c.line(),
            c.column(),
            c.line_count(),
        )
    }

    #[test]
    fn lookalikes_are_named_and_suggested() {
        assert_eq!(lookalike("Series А"), Some(('А', 'A')));
        assert_eq!(lookalike("Series A"), None);
        // A name wholly in another script is not a lookalike.
        assert_eq!(lookalike("Серия"), None);
        assert_eq!(
            did_you_mean("Series А", ["Series B", "Series A"]).as_deref(),
            Some("did you mean `Series A`? (`А` (U+0410) only looks like `A`)")
        );
        assert_eq!(
            did_you_mean("Seris D1", ["Series D", "Series D1"]).as_deref(),
            Some("did you mean `Series D1`?")
        );
        assert_eq!(did_you_mean("Warrant", ["Series A", "Common"]), None);
    }

    #[test]
    fn excerpts_match_miettes_own_reading() {
        let texts = [
            "one\ntwo\nthree\nfour\nfive\nsix\n",
            "one\r\ntwo\r\nthree\r\nfour\r\n",
            "one\rtwo\rthree\rfour",
            "no newline at all",
            "\n\n\nafter blank lines\n\n",
        ];
        for text in texts {
            let source = Source::new("t", text);
            let excerpts = source.excerpts();
            for start in 0..text.len() {
                for len in [0, 1, 3, 7] {
                    let span = SourceSpan::new(start.into(), len.min(text.len() - start));
                    for (before, after) in [(0, 0), (1, 1), (2, 3)] {
                        let ours = excerpts.read_span(&span, before, after);
                        let theirs = text.read_span(&span, before, after);
                        match (ours, theirs) {
                            (Ok(a), Ok(b)) => assert_eq!(
                                parts(a.as_ref()),
                                parts(b.as_ref()),
                                "{text:?} at {start}+{len}, context {before}/{after}"
                            ),
                            (a, b) => assert_eq!(a.is_ok(), b.is_ok(), "{text:?} at {start}"),
                        }
                    }
                }
            }
        }
    }
}
