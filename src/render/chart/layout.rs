//! Where the chart's words go, worked out before anything is drawn (the
//! drawing's height depends on them): the breakpoints' numbers in rows above
//! the plot, the legend flowed in rows below it, and each breakpoint's exit
//! and causes in columns, the causes wrapped to the width.
//!
//! There is no font library: a text's width is estimated from its characters,
//! generously (as wide as DejaVu Sans, the widest common sans-serif, draws
//! them or wider), so whatever font the viewer picks, the text fits.

use textwrap::core::Fragment;

/// Plotters writes a font's size into the SVG divided by 1.24: the size in
/// pixels of a font asked for at `size`.
pub(super) fn px(size: f64) -> f64 {
    size / 1.24
}

/// The estimated width in pixels of `text` drawn at `size` (plotters'
/// units): at least 0.64 em a character, wide capitals more.
pub(super) fn width(text: &str, size: f64) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'm' | 'w' | 'M' | 'W' | '%' | '@' | '…' | '—' => 1.0,
            c if c.is_uppercase() => 0.8,
            _ => 0.64,
        })
        .sum();
    em * px(size)
}

/// The longest start of `text` (with `…` if shortened) that fits in `room`
/// pixels at `size`.
pub(super) fn fit(text: &str, size: f64, room: f64) -> String {
    if width(text, size) <= room {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        let next = format!("{out}{c}…");
        if width(&next, size) > room {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// At most this many rows of breakpoint numbers; past them a number shares
/// the row with the most room.
const NUMBER_ROWS: usize = 4;

/// The room kept between two numbers in a row.
const NUMBER_GAP: f64 = 4.0;

/// The row of each breakpoint's number (0 next to the plot), the numbers
/// centred at `xs` (pixels, increasing) and drawn at `size`, so that no two
/// in a row overlap while the rows last.
pub(super) fn number_rows(xs: &[f64], size: f64) -> Vec<usize> {
    // The right end of the last number in each row.
    let mut ends: Vec<f64> = Vec::new();
    let mut rows = Vec::with_capacity(xs.len());
    for (n, x) in xs.iter().enumerate() {
        let half = width(&n.saturating_add(1).to_string(), size) / 2.0 + NUMBER_GAP / 2.0;
        let free = ends.iter().position(|end| *end <= x - half);
        let row = match free {
            Some(r) => r,
            None if ends.len() < NUMBER_ROWS => {
                ends.push(f64::NEG_INFINITY);
                ends.len().saturating_sub(1)
            }
            None => ends
                .iter()
                .enumerate()
                .min_by(|a, b| a.1.total_cmp(b.1))
                .map_or(0, |(r, _)| r),
        };
        if let Some(end) = ends.get_mut(row) {
            *end = x + half;
        }
        rows.push(row);
    }
    rows
}

/// The legend's swatch, the gap after it, and the gap after a name.
pub(super) const SWATCH: f64 = 20.0;
const AFTER_SWATCH: f64 = 6.0;
const AFTER_NAME: f64 = 22.0;

/// A party in the legend: its swatch's left edge and row, and its name (cut
/// short only if wider than the whole legend).
#[derive(Debug)]
pub(super) struct Entry {
    pub x: f64,
    pub row: usize,
    pub name: String,
}

/// The x of an entry's name.
pub(super) fn name_x(e: &Entry) -> f64 {
    e.x + SWATCH + AFTER_SWATCH
}

/// The legend: the parties in order, in rows of as many columns as fit
/// between `left` and `right`, each column as wide as the widest entry.
pub(super) fn legend(names: &[&str], size: f64, left: f64, right: f64) -> Vec<Entry> {
    let room = (right - left - SWATCH - AFTER_SWATCH).max(0.0);
    let names: Vec<String> = names.iter().map(|n| fit(n, size, room)).collect();
    let column = names
        .iter()
        .map(|n| SWATCH + AFTER_SWATCH + width(n, size) + AFTER_NAME)
        .fold(0.0f64, f64::max);
    // The last column needs no gap after it.
    let columns = ((right - left + AFTER_NAME) / column).floor().max(1.0) as usize;
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let col = i.checked_rem(columns).unwrap_or(0);
            Entry {
                x: left + col as f64 * column,
                row: i.checked_div(columns).unwrap_or(0),
                name,
            }
        })
        .collect()
}

/// The gaps between the columns of the breakpoints' list.
const COLUMN_GAP: f64 = 12.0;

/// The list of breakpoints under the legend: each one's number
/// (right-aligned at `number_right`), exit (right-aligned at `exit_right`)
/// and causes (from `cause_left`, wrapped to the width).
#[derive(Debug)]
pub(super) struct Notes {
    pub number_right: f64,
    pub exit_right: f64,
    pub cause_left: f64,
    /// Each breakpoint's number, exit and lines of causes.
    pub rows: Vec<(String, String, Vec<String>)>,
}

impl Notes {
    /// The lines the list takes.
    pub(super) fn lines(&self) -> usize {
        self.rows
            .iter()
            .fold(0usize, |n, (_, _, l)| n.saturating_add(l.len().max(1)))
    }
}

/// The list of `breakpoints` (each its exit and causes) between `left` and
/// `right` at `size`.
pub(super) fn notes(breakpoints: &[(String, String)], size: f64, left: f64, right: f64) -> Notes {
    let widest = |ws: &mut dyn Iterator<Item = f64>| ws.fold(0.0f64, f64::max);
    let numbers: Vec<String> = (1..=breakpoints.len()).map(|n| n.to_string()).collect();
    let number_right = left + widest(&mut numbers.iter().map(|n| width(n, size)));
    let exit_right =
        number_right + COLUMN_GAP + widest(&mut breakpoints.iter().map(|(e, _)| width(e, size)));
    let cause_left = exit_right + COLUMN_GAP;
    let room = (right - cause_left).max(width("the widest words", size));
    let rows = numbers
        .into_iter()
        .zip(breakpoints)
        .map(|(n, (exit, causes))| (n, exit.clone(), wrap(causes, size, room)))
        .collect();
    Notes {
        number_right,
        exit_right,
        cause_left,
        rows,
    }
}

/// A word of a cause and its width, for textwrap.
#[derive(Debug)]
struct Word<'a> {
    text: &'a str,
    width: f64,
    space: f64,
}

impl Fragment for Word<'_> {
    fn width(&self) -> f64 {
        self.width
    }
    fn whitespace_width(&self) -> f64 {
        self.space
    }
    fn penalty_width(&self) -> f64 {
        0.0
    }
}

/// `text` in lines at most `room` pixels wide at `size`, broken only at
/// spaces; a section mark stays with its number (`§ A.1(a)` is one word).
pub(super) fn wrap(text: &str, size: f64, room: f64) -> Vec<String> {
    let joined = text.replace("§ ", "§\u{a0}");
    let space = width(" ", size);
    let mut words: Vec<Word> = Vec::new();
    for w in joined.split(' ').filter(|w| !w.is_empty()) {
        // A word wider than a line (a long name without a space) is cut
        // into pieces that fit, each on its own line.
        let mut rest = w;
        while width(rest, size) > room {
            let cut = rest
                .char_indices()
                .map(|(i, _)| i)
                .take_while(|i| rest.get(..*i).is_some_and(|s| width(s, size) <= room))
                .last()
                .filter(|i| *i > 0)
                .or_else(|| rest.char_indices().nth(1).map(|(i, _)| i));
            let Some((piece, more)) = cut.and_then(|i| rest.get(..i).zip(rest.get(i..))) else {
                break;
            };
            words.push(Word {
                text: piece,
                width: room,
                space,
            });
            rest = more;
        }
        words.push(Word {
            text: rest,
            width: width(rest, size),
            space,
        });
    }
    textwrap::wrap_algorithms::wrap_first_fit(&words, &[room])
        .into_iter()
        .map(|line| {
            line.iter()
                .map(|w| w.text)
                .collect::<Vec<_>>()
                .join(" ")
                .replace("§\u{a0}", "§ ")
        })
        .collect()
}
