//! Exact numbers: reading literals, checked arithmetic, and formatting.
//!
//! Every figure is a `rust_decimal::Decimal`. Arithmetic on values that come
//! from a user goes through the checked helpers here, so that an overflow
//! becomes a diagnostic rather than a panic.

mod fraction;
pub use fraction::Fraction;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::diagnostic::Span;
use crate::diagnostic::{Kind, Problem};

/// The most fractional digits a literal may carry; beyond this the value
/// could not take part in arithmetic without silent loss.
const MAX_SCALE: usize = 12;

/// The largest figure a literal may state. Products of two figures (a price
/// times shares) then stay far inside the 28 digits a Decimal holds, and a
/// cent of a 10^16 exit is still exact.
const MAX_FIGURE: Decimal = Decimal::from_parts(1_874_919_424, 2_328_306, 0, false, 0);

/// The error for a figure above [`MAX_FIGURE`].
fn too_large(text: &str, span: Span, what: &str) -> Problem {
    Problem::new(
        Kind::NumberTooLarge(text.to_string()),
        span,
        what.to_string(),
    )
    .with_help(
        "figures up to 10^16 (ten quadrillion) with 12 decimal places can be computed exactly",
    )
}

/// Reads the digits of a literal (`1_767_243`, `1,250,000`, `2.2917`, `.00001`)
/// into an exact decimal, or says why it cannot be read.
pub fn parse_digits(text: &str, span: Span) -> Result<Decimal, Problem> {
    let clean: String = text.chars().filter(|c| *c != '_' && *c != ',').collect();
    let clean = if clean.starts_with('.') {
        format!("0{clean}")
    } else {
        clean
    };
    let frac_len = clean.split_once('.').map_or(0, |(_, f)| f.len());
    if frac_len > MAX_SCALE {
        return Err(Problem::new(
            Kind::BadNumber(format!("`{text}` has more than {MAX_SCALE} decimal places")),
            span,
            "too many decimal places",
        )
        .with_help("round the figure as the charter does, to at most 12 decimal places"));
    }
    match clean.parse::<Decimal>() {
        Ok(v) if v.abs() <= MAX_FIGURE => Ok(v),
        _ => Err(too_large(text, span, "this number")),
    }
}

/// Whether `text`, an amount written without `$`, can only be what a shell
/// left of one written with it. In double quotes the shell reads `$5` of
/// `"$50M"` as its fifth argument, usually empty, and passes `0M`; `"$1.5B"`
/// arrives as `.5B` and `"$100"` as `00`. Nobody writes an amount that
/// starts with a point, a comma or an underscore, a zero followed by more
/// digits, or a zero with a scale (`0M`, `0.5M`: `"$10.5M"` arrives so),
/// so these are refused rather than read as a smaller figure.
pub fn shell_remains(text: &str) -> bool {
    if text.starts_with('$') {
        return false;
    }
    let scaled = text.ends_with(['K', 'k', 'M', 'm', 'B', 'b']);
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (None, _) => true,
        (Some('.' | ',' | '_'), _) => true,
        (Some('0'), Some(c)) if c.is_ascii_digit() || c == ',' || c == '_' => true,
        (Some('0'), _) => scaled,
        _ => false,
    }
}

/// The diagnostic for an amount [`shell_remains`] refuses.
pub fn shell_problem(text: &str, span: Span) -> Problem {
    Problem::new(
        Kind::ShellRemains(text.to_string()),
        span,
        "this is not the amount you typed, if you typed `$`",
    )
    .with_help(
        "in double quotes the shell replaces `$` and the digit after it with nothing \
         (`\"$50M\"` arrives as `0M`); write the amount with its `$` in single quotes \
         (`'$50M'`)",
    )
}

/// The diagnostic for a negative amount or price (`-$5M`).
pub fn negative_problem(text: &str, span: Span) -> Problem {
    Problem::new(
        Kind::BadNumber(format!("`{text}` is negative")),
        span,
        "amounts and prices are never negative",
    )
    .with_help("a price must be greater than zero and an amount at least $0; write it without `-`")
}

/// Reads an amount such as `50000000`, `50M`, `$50,000,000`, `$50M`, `$1.5B`,
/// `$750K`. An amount that can only be the remains of shell expansion is
/// refused (see [`shell_remains`]).
pub fn parse_amount(text: &str, span: Span) -> Result<Decimal, Problem> {
    if text.starts_with('-') {
        return Err(negative_problem(text, span));
    }
    if shell_remains(text) {
        return Err(shell_problem(text, span));
    }
    let body = text.strip_prefix('$').unwrap_or(text);
    let scales = [('K', 1_000u64), ('M', 1_000_000), ('B', 1_000_000_000)];
    let (digits, scale) = scales
        .iter()
        .find_map(|(c, n)| {
            body.strip_suffix(*c)
                .or_else(|| body.strip_suffix(c.to_ascii_lowercase()))
                .map(|d| (d, Decimal::from(*n)))
        })
        .unwrap_or((body, Decimal::ONE));
    // A figure too large is reported as written, `$` and suffix included.
    let value = parse_digits(digits, span).map_err(|p| match p.kind {
        Kind::NumberTooLarge(_) => too_large(text, span, "this amount"),
        _ => p,
    })?;
    // `1.5B` is 1500000000, not 1500000000.0: the figure as a user reads it.
    match value.checked_mul(scale) {
        Some(v) if v.abs() <= MAX_FIGURE => Ok(if scale == Decimal::ONE {
            v
        } else {
            v.normalize()
        }),
        _ => Err(too_large(text, span, "this amount")),
    }
}

/// Reads a multiple such as `1x` or `1.5x`.
pub fn parse_multiple(text: &str, span: Span) -> Result<Decimal, Problem> {
    parse_digits(text.trim_end_matches(['x', 'X']), span)
}

/// Reads a percentage such as `50%` into a fraction (`0.5`).
pub fn parse_percent(text: &str, span: Span) -> Result<Decimal, Problem> {
    let value = parse_digits(text.trim_end_matches('%'), span)?;
    if value > Decimal::ONE_HUNDRED {
        return Err(
            Problem::new(Kind::BadPercent(text.to_string()), span, "above 100%")
                .with_help("a threshold of holders is at most 100%"),
        );
    }
    // At most 100, so the division is exact and cannot overflow.
    value
        .checked_div(Decimal::ONE_HUNDRED)
        .ok_or_else(|| Problem::new(Kind::BadPercent(text.to_string()), span, "not a percentage"))
}

/// A fraction written as a percentage (`0.6` → `60%`), for display; a value
/// too large to scale is written as the fraction it is.
pub fn percent(fraction: Decimal) -> String {
    match fraction.checked_mul(Decimal::ONE_HUNDRED) {
        Some(p) => format!("{}%", p.normalize()),
        None => format!("{} of the whole", fraction.normalize()),
    }
}

/// Arithmetic that reports overflow instead of panicking.
///
/// `what` names the computation in the error, for the reader.
pub trait Checked: Sized {
    /// `self + rhs`
    fn add(self, rhs: Self, what: &str) -> Result<Self, Kind>;
    /// `self - rhs`
    fn sub(self, rhs: Self, what: &str) -> Result<Self, Kind>;
    /// `self * rhs`
    fn mul(self, rhs: Self, what: &str) -> Result<Self, Kind>;
    /// `self / rhs`; division by zero is an error too.
    fn div(self, rhs: Self, what: &str) -> Result<Self, Kind>;
}

impl Checked for Decimal {
    fn add(self, rhs: Self, what: &str) -> Result<Self, Kind> {
        self.checked_add(rhs)
            .ok_or_else(|| Kind::Overflow(what.to_string()))
    }
    fn sub(self, rhs: Self, what: &str) -> Result<Self, Kind> {
        self.checked_sub(rhs)
            .ok_or_else(|| Kind::Overflow(what.to_string()))
    }
    fn mul(self, rhs: Self, what: &str) -> Result<Self, Kind> {
        self.checked_mul(rhs)
            .ok_or_else(|| Kind::Overflow(what.to_string()))
    }
    fn div(self, rhs: Self, what: &str) -> Result<Self, Kind> {
        if rhs.is_zero() {
            return Err(Kind::Overflow(format!("{what}: division by zero")));
        }
        self.checked_div(rhs)
            .ok_or_else(|| Kind::Overflow(what.to_string()))
    }
}

/// `value × num / den`, multiplying first so that a ratio of whole numbers
/// (a 1:3 combination) stays exact. Where the product would not fit (a
/// share of the next dollar kept as a fraction of 28-digit numbers), `num`
/// and `den` have their decimal points moved alike, which is exact, until
/// the larger is below 10, and the product is taken then: dividing first
/// would keep only the few digits of `value / den` that 28 decimal places
/// hold.
pub fn scale(value: Decimal, num: Decimal, den: Decimal, what: &str) -> Result<Decimal, Kind> {
    if let Some(p) = value.checked_mul(num) {
        return p.div(den, what);
    }
    let shift = integer_digits(num.abs().max(den.abs()))
        .min(28u32.saturating_sub(num.scale().max(den.scale())));
    let moved = |d: Decimal| {
        Decimal::try_from_i128_with_scale(d.mantissa(), d.scale().saturating_add(shift)).ok()
    };
    match (moved(num), moved(den)) {
        (Some(n), Some(d)) => match value.checked_mul(n) {
            Some(p) => p.div(d, what),
            None => value.div(d, what)?.mul(n, what),
        },
        _ => value.div(den, what)?.mul(num, what),
    }
}

/// How many digits the whole part of `d` has (0 for a fraction).
fn integer_digits(d: Decimal) -> u32 {
    let mut whole = d.trunc().abs().mantissa();
    let mut n = 0u32;
    while whole > 0 {
        whole = whole.checked_div(10).unwrap_or(0);
        n = n.saturating_add(1);
    }
    n
}

/// Sums with overflow checking.
pub fn sum<I: IntoIterator<Item = Decimal>>(items: I, what: &str) -> Result<Decimal, Kind> {
    items
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, x| acc.add(x, what))
}

/// Formats with thousands separators and exactly `places` decimals,
/// rounding half away from zero (for display only).
pub fn group(value: Decimal, places: u32) -> String {
    let v = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.*}", places as usize, v.abs());
    let (int, frac) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && int.len().saturating_sub(i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    if v.is_sign_negative() && !v.is_zero() {
        format!("-{out}")
    } else {
        out
    }
}

/// A figure with exactly `places` decimals (`"1.000000"`), whatever scale
/// the arithmetic left.
pub fn fixed_text(value: Decimal, places: u32) -> String {
    let mut v = value.round_dp(places);
    v.rescale(places);
    v.to_string()
}

/// An amount of money as JSON carries it: a string with two decimals,
/// always (`"40000000.00"`, `"0.00"`).
pub fn money_text(value: Decimal) -> String {
    fixed_text(value, 2)
}

/// A computed figure per share as JSON carries it: a string with six
/// decimals, always (`"1.000000"`).
pub fn per_share_text(value: Decimal) -> String {
    fixed_text(value, 6)
}

/// Formats a dollar amount: `$1,234.56`.
pub fn dollars(value: Decimal) -> String {
    with_dollar_sign(group(value, 2))
}

/// `$1,234.56` from `1,234.56`, `-$5.00` from `-5.00`.
fn with_dollar_sign(text: String) -> String {
    match text.strip_prefix('-') {
        Some(abs) => format!("-${abs}"),
        None => format!("${text}"),
    }
}

/// Formats an amount of money exactly: to the cent, or to every place it has
/// beyond the cent (`$6.0912`), never rounded.
pub fn exact_dollars(value: Decimal) -> String {
    let places = value.normalize().scale().max(2);
    with_dollar_sign(group(value, places))
}

/// Formats a number exactly, grouped, without trailing zeros: `512,315.25`.
pub fn exact(value: Decimal) -> String {
    let n = value.normalize();
    group(n, n.scale())
}

/// Formats a share count without trailing zeros: `1,767,243` or `3,963,070.4545`.
pub fn shares(value: Decimal) -> String {
    let n = value.normalize();
    group(n, n.scale().min(4))
}

/// Appends an amount to the cent, plain (`-1234.50`), as `{:.2}` writes it:
/// from the mantissa where the amount is whole cents, which is every figure
/// the remainder rule produces; through `format!` otherwise.
pub fn push_cents(out: &mut String, value: Decimal) {
    use std::fmt::Write;
    let (m, s) = (value.mantissa(), value.scale());
    let cents = (s <= 2)
        .then(|| 10i128.checked_pow(2u32.saturating_sub(s)))
        .flatten()
        .and_then(|f| m.checked_mul(f));
    match cents {
        Some(c) => push_cent_count(out, c),
        None => {
            let _ = write!(out, "{value:.2}");
        }
    }
}

/// Appends a count of cents as dollars to the cent, plain (`-123450` as
/// `-1234.50`): the figure [`push_cents`] writes for the same amount.
pub fn push_cent_count(out: &mut String, cents: i128) {
    if cents < 0 {
        out.push('-');
    }
    // Any amount up to $10^16 has its cents in 64 bits, which format
    // several times faster than 128.
    match u64::try_from(cents.unsigned_abs()) {
        Ok(c) => push_digits(out, c),
        Err(_) => {
            use std::fmt::Write;
            let c = cents.unsigned_abs();
            let _ = write!(out, "{}.{:02}", c / 100, c % 100);
        }
    }
}

/// Writes `cents` as dollars with two decimals (`1234` as `12.34`) with
/// `itoa`: a curve of a million rows formats tens of millions of amounts,
/// and the formatting machinery was a quarter of its time.
fn push_digits(out: &mut String, cents: u64) {
    let mut buf = itoa::Buffer::new();
    out.push_str(buf.format(cents / 100));
    out.push('.');
    let c = cents % 100;
    if c < 10 {
        out.push('0');
    }
    out.push_str(buf.format(c));
}

/// Formats a plain decimal without trailing zeros.
pub fn plain(value: Decimal) -> String {
    value.normalize().to_string()
}

/// At most this many names in one message or help; the rest are counted.
pub const NAMES_SHOWN: usize = 12;

/// Items joined by `separator`, the first [`NAMES_SHOWN`] written out and
/// the rest counted ("and 4,988 more"): a message stays readable, and its
/// size bounded, however many classes or causes it could name.
pub fn joined_list<I: ExactSizeIterator<Item = String>>(items: I, separator: &str) -> String {
    let total = items.len();
    let shown: Vec<String> = items.take(NAMES_SHOWN).collect();
    let mut out = shown.join(separator);
    if total > shown.len() {
        out.push_str(&format!(
            " and {} more",
            group(
                rust_decimal::Decimal::from(total.saturating_sub(shown.len())),
                0
            )
        ));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn amt(s: &str) -> Decimal {
        parse_amount(s, Span::default()).unwrap()
    }

    /// What the shell leaves of `"$1.5B"`, `"$50M"`, `"$10.5M"`, `"$100"`,
    /// `"$50,000,000"`, `"$1_000"` is refused; what a user writes is not.
    #[test]
    fn shell_remains_are_told_from_amounts() {
        for t in [".5B", "0M", "0.5M", "00", "0,000,000", "_000", ""] {
            assert!(shell_remains(t), "{t:?}");
        }
        for t in ["0", "0.5", "50M", "1.5B", "$0M", "$.5B", "10", "750K"] {
            assert!(!shell_remains(t), "{t:?}");
        }
    }

    #[test]
    fn figures_stop_at_ten_quadrillion() {
        assert_eq!(MAX_FIGURE, Decimal::from(10_000_000_000_000_000u64));
        let span = Span::new(0, 1);
        assert!(parse_digits("10_000_000_000_000_000", span).is_ok());
        assert!(parse_digits("10_000_000_000_000_001", span).is_err());
        assert!(parse_digits("79228162514264337593543950335", span).is_err());
        assert!(parse_amount("$10000000B", span).is_ok());
        assert!(parse_amount("$10000001B", span).is_err());
    }

    #[test]
    fn amounts_in_every_accepted_spelling() {
        let fifty = Decimal::from(50_000_000);
        assert_eq!(amt("50000000"), fifty);
        assert_eq!(amt("50_000_000"), fifty);
        assert_eq!(amt("$50,000,000"), fifty);
        assert_eq!(amt("$50M"), fifty);
        assert_eq!(amt("$1.5B"), Decimal::from(1_500_000_000));
        assert_eq!(amt("$750K"), Decimal::from(750_000));
        assert_eq!(amt("$.5"), Decimal::new(5, 1));
    }

    #[test]
    fn too_large_is_a_problem_not_a_panic() {
        let e = parse_amount("$99999999999999999999999999999B", Span::new(0, 5)).unwrap_err();
        assert_eq!(e.kind.code(), "charter::parse::number_too_large");
    }

    #[test]
    fn fractions_exact_and_reduced() {
        let f = |n: i64, d: i64| Fraction::new(Decimal::from(n), Decimal::from(d));
        assert_eq!(f(1, 4).to_string(), "0.25");
        assert_eq!(f(2, 6).to_string(), "1/3");
        assert_eq!(f(6, 3).to_string(), "2");
        assert_eq!(
            Fraction::new(Decimal::new(15, 1), Decimal::new(45, 1)).to_string(),
            "1/3"
        );
        // 1/3 + 1/6 + 1/2 = 1 exactly.
        assert_eq!(Fraction::sum(&[f(1, 3), f(1, 6), f(1, 2)]), Some((1, 1)));
    }

    #[test]
    fn cents_as_format_writes_them() {
        for v in [
            Decimal::ZERO,
            Decimal::new(5, 0),
            Decimal::new(-5, 1),
            Decimal::new(123456789, 2),
            Decimal::new(-1, 2),
            Decimal::new(123456789, 4),
            Decimal::new(7, 1),
            Decimal::new(1, 2),
            Decimal::new(10, 2),
            Decimal::new(100, 2),
            Decimal::new(1005, 2),
            Decimal::new(-100000, 2),
            Decimal::from(10_000_000_000_000_000i64),
            Decimal::new(99_999_999_999_999_999, 2),
        ] {
            let mut out = String::new();
            push_cents(&mut out, v);
            assert_eq!(out, format!("{v:.2}"), "{v}");
        }
    }

    #[test]
    fn grouping() {
        assert_eq!(group(Decimal::new(123456789, 2), 2), "1,234,567.89");
        assert_eq!(group(Decimal::new(-5, 1), 2), "-0.50");
        assert_eq!(shares(Decimal::from(1_767_243)), "1,767,243");
    }

    #[test]
    fn exact_figures_keep_every_place() {
        // $2,012,753.4246… must not read as the $2,012,753.42 a claim expects.
        assert_eq!(
            exact_dollars(Decimal::new(20127534246, 4)),
            "$2,012,753.4246"
        );
        assert_eq!(exact_dollars(Decimal::from(5)), "$5.00");
        assert_eq!(exact_dollars(Decimal::new(-250, 2)), "-$2.50");
        assert_eq!(exact(Decimal::new(5123152500, 4)), "512,315.25");
    }
}
