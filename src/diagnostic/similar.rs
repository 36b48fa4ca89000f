//! Names that are nearly right: lookalike characters from other scripts, and
//! the "did you mean" candidate for a misspelt name or keyword.

/// Characters from other scripts, and typographic variants, that look like
/// an ASCII character in a name: what a paste from a PDF or a word processor
/// brings in.
const LOOKALIKES: &[(char, char)] = &[
    ('А', 'A'),
    ('В', 'B'),
    ('Е', 'E'),
    ('К', 'K'),
    ('М', 'M'),
    ('Н', 'H'),
    ('О', 'O'),
    ('Р', 'P'),
    ('С', 'C'),
    ('Т', 'T'),
    ('Х', 'X'),
    ('а', 'a'),
    ('е', 'e'),
    ('о', 'o'),
    ('р', 'p'),
    ('с', 'c'),
    ('у', 'y'),
    ('х', 'x'),
    ('і', 'i'),
    ('Α', 'A'),
    ('Β', 'B'),
    ('Ε', 'E'),
    ('Ζ', 'Z'),
    ('Η', 'H'),
    ('Ι', 'I'),
    ('Κ', 'K'),
    ('Μ', 'M'),
    ('Ν', 'N'),
    ('Ο', 'O'),
    ('Ρ', 'P'),
    ('Τ', 'T'),
    ('Υ', 'Y'),
    ('Χ', 'X'),
    ('ο', 'o'),
    ('ν', 'v'),
    ('\u{a0}', ' '),
    ('\u{2010}', '-'),
    ('\u{2011}', '-'),
    ('\u{2013}', '-'),
    ('\u{2014}', '-'),
    ('\u{2212}', '-'),
    ('\u{2019}', '\''),
    ('\u{2018}', '\''),
    ('０', '0'),
    ('１', '1'),
    ('２', '2'),
    ('Ａ', 'A'),
    ('Ｂ', 'B'),
    ('Ｃ', 'C'),
    ('Ｄ', 'D'),
];

/// The first character of `name` that only looks like an ASCII one, with
/// that ASCII character, when `name` also has ASCII letters: a Latin name
/// with one Cyrillic `А` in it matches nothing, though it reads the same.
pub fn lookalike(name: &str) -> Option<(char, char)> {
    if !name.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    name.chars()
        .find_map(|c| LOOKALIKES.iter().find(|(l, _)| *l == c).copied())
}

/// `name` with each lookalike replaced by the ASCII character it resembles.
fn skeleton(name: &str) -> String {
    name.chars()
        .map(|c| {
            LOOKALIKES
                .iter()
                .find(|(l, _)| *l == c)
                .map_or(c, |(_, a)| *a)
        })
        .collect()
}

/// How to describe a lookalike in a help: "`А` (U+0410) only looks like `A`".
pub fn lookalike_help(found: char, like: char) -> String {
    format!(
        "`{found}` (U+{:04X}) only looks like `{like}`",
        found as u32
    )
}

/// The candidate most like `word`, for a "did you mean" help: one that
/// differs only by lookalike characters first; otherwise case is ignored,
/// and a candidate must be close (Jaro-Winkler above 0.8). Ties go to the
/// earlier candidate, so the help is the same on every run.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let plain = lookalike(word).map(|_| skeleton(word));
    let word = word.to_lowercase();
    let mut best: Option<(&'a str, f64)> = None;
    for c in candidates {
        if plain.as_deref() == Some(c) {
            return Some(c);
        }
        let score = strsim::jaro_winkler(&word, &c.to_lowercase());
        if score > 0.8 && best.is_none_or(|(_, b)| score > b) {
            best = Some((c, score));
        }
    }
    best.map(|(c, _)| c)
}

/// "did you mean `X`?" for the candidate closest to `word`, saying which
/// character only looks like a letter when that is the difference.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let best = closest(word, candidates)?;
    // The odd character may be in what was typed or in what was declared.
    let note = lookalike(word)
        .or_else(|| lookalike(best))
        .map(|(found, like)| format!(" ({})", lookalike_help(found, like)))
        .unwrap_or_default();
    Some(format!("did you mean `{best}`?{note}"))
}
