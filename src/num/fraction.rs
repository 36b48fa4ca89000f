//! Exact ratios of two decimals.

use rust_decimal::Decimal;

/// An exact ratio of two decimals, such as a class's share of the next
/// dollar: its weight over the tranche's. Shown as a decimal where it
/// terminates (`0.25`) and as a reduced fraction where it does not (`1/3`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fraction {
    /// Numerator.
    pub num: Decimal,
    /// Denominator (never zero).
    pub den: Decimal,
}

impl Fraction {
    /// `num / den`; a zero denominator makes zero.
    pub fn new(num: Decimal, den: Decimal) -> Fraction {
        if den.is_zero() {
            return Fraction::zero();
        }
        Fraction { num, den }
    }

    /// Nothing.
    pub fn zero() -> Fraction {
        Fraction {
            num: Decimal::ZERO,
            den: Decimal::ONE,
        }
    }

    /// Whether it is zero.
    pub fn is_zero(&self) -> bool {
        self.num.is_zero()
    }

    /// As whole numbers in lowest terms, the denominator positive; `None`
    /// only if they do not fit in 128 bits.
    pub fn reduced(&self) -> Option<(i128, i128)> {
        let (n, d) = (self.num.normalize(), self.den.normalize());
        let (mut a, mut b) = (n.mantissa(), d.mantissa());
        let (sn, sd) = (n.scale(), d.scale());
        // a/10^sn ÷ b/10^sd = a·10^sd / (b·10^sn): scale one side only.
        if sd >= sn {
            a = a.checked_mul(10i128.checked_pow(sd.checked_sub(sn)?)?)?;
        } else {
            b = b.checked_mul(10i128.checked_pow(sn.checked_sub(sd)?)?)?;
        }
        if b < 0 {
            a = a.checked_neg()?;
            b = b.checked_neg()?;
        }
        let g = gcd(a.unsigned_abs(), b.unsigned_abs());
        if g == 0 {
            return Some((0, 1));
        }
        let g = i128::try_from(g).ok()?;
        Some((a.checked_div(g)?, b.checked_div(g)?))
    }

    /// `self × other`, exactly: both reduced to whole numbers and crossed
    /// before multiplying, so that no 28-digit product is rounded; where the
    /// result cannot be held exactly, the decimal product.
    pub fn times(self, other: Fraction) -> Fraction {
        let exact = || -> Option<Fraction> {
            let (a, b) = self.reduced()?;
            let (c, d) = other.reduced()?;
            let g1 = i128::try_from(gcd(a.unsigned_abs(), d.unsigned_abs()))
                .ok()?
                .max(1);
            let g2 = i128::try_from(gcd(c.unsigned_abs(), b.unsigned_abs()))
                .ok()?
                .max(1);
            let n = a.checked_div(g1)?.checked_mul(c.checked_div(g2)?)?;
            let m = b.checked_div(g2)?.checked_mul(d.checked_div(g1)?)?;
            Some(Fraction {
                num: Decimal::try_from_i128_with_scale(n, 0).ok()?,
                den: Decimal::try_from_i128_with_scale(m, 0).ok()?,
            })
        };
        exact().unwrap_or_else(|| {
            Fraction::new(
                self.num.checked_mul(other.num).unwrap_or_default(),
                self.den.checked_mul(other.den).unwrap_or(Decimal::ONE),
            )
        })
    }

    /// The sum of fractions, exactly, in lowest terms; `None` if it does not
    /// fit in 128 bits.
    pub fn sum(items: &[Fraction]) -> Option<(i128, i128)> {
        let mut acc: (i128, i128) = (0, 1);
        for f in items {
            let (n, d) = f.reduced()?;
            let g = i128::try_from(gcd(acc.1.unsigned_abs(), d.unsigned_abs())).ok()?;
            let l = acc.1.checked_div(g)?.checked_mul(d)?;
            let top = acc
                .0
                .checked_mul(l.checked_div(acc.1)?)?
                .checked_add(n.checked_mul(l.checked_div(d)?)?)?;
            let h = i128::try_from(gcd(top.unsigned_abs(), l.unsigned_abs())).ok()?;
            acc = if h == 0 {
                (0, 1)
            } else {
                (top.checked_div(h)?, l.checked_div(h)?)
            };
        }
        Some(acc)
    }
}

impl Fraction {
    /// The exact form, for JSON: a decimal where it terminates (`0.25`),
    /// else the reduced fraction (`1/3`), however long.
    pub fn exact_text(&self) -> String {
        match self.reduced() {
            Some((n, d)) => match terminating(n, d) {
                Some(v) => v.normalize().to_string(),
                None if d == 1 => n.to_string(),
                None => format!("{n}/{d}"),
            },
            None => match self.num.checked_div(self.den) {
                Some(v) => format!("{}…", v.round_dp(20).normalize()),
                None => "?".to_string(),
            },
        }
    }

    /// The quotient as a decimal (28 significant digits at most).
    pub fn decimal(&self) -> Decimal {
        self.num.checked_div(self.den).unwrap_or_default()
    }
}

/// `n / d` as a decimal if it terminates (its reduced denominator has only
/// twos and fives) and fits.
fn terminating(n: i128, d: i128) -> Option<Decimal> {
    let mut rest = d;
    while rest != 0 && rest % 2 == 0 {
        rest /= 2;
    }
    while rest != 0 && rest % 5 == 0 {
        rest /= 5;
    }
    if rest != 1 {
        return None;
    }
    let (n, d) = (
        Decimal::try_from_i128_with_scale(n, 0).ok()?,
        Decimal::try_from_i128_with_scale(d, 0).ok()?,
    );
    let v = n.checked_div(d)?;
    (v.checked_mul(d) == Some(n)).then_some(v)
}

/// The largest denominator shown as a fraction in text: past it, a share is
/// a percentage (a fraction of 28-digit numbers is neither readable nor, to
/// a reader, more exact).
const READABLE: i128 = 1_000_000;

/// For people: a short decimal where it terminates within six places
/// (`0.25`), a reduced fraction with a denominator up to a million
/// (`8/15`, `1,000/3,001`), else a percentage to four places (`43.7766%`).
impl std::fmt::Display for Fraction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some((n, d)) = self.reduced() {
            if let Some(v) = terminating(n, d).filter(|v| v.normalize().scale() <= 6) {
                return write!(f, "{}", v.normalize());
            }
            if d == 1 {
                return write!(f, "{n}");
            }
            if d <= READABLE {
                let group = |x: i128| super::group(Decimal::from_i128_with_scale(x, 0), 0);
                return write!(f, "{}/{}", group(n), group(d));
            }
        }
        match self
            .decimal()
            .checked_mul(Decimal::ONE_HUNDRED)
            .map(|p| p.round_dp(4))
        {
            Some(p) => write!(f, "{}%", super::group(p, 4)),
            None => write!(f, "?"),
        }
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a.checked_rem(b).unwrap_or(0));
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(n: i64, d: i64) -> Fraction {
        Fraction::new(Decimal::from(n), Decimal::from(d))
    }

    /// People read short decimals, small fractions and percentages; JSON
    /// keeps the exact form and the quotient.
    #[test]
    fn shares_read_as_people_read_them() {
        assert_eq!(f(1, 4).to_string(), "0.25");
        assert_eq!(f(8_000, 15_000).to_string(), "8/15");
        assert_eq!(f(1_000, 3_001).to_string(), "1,000/3,001");
        assert_eq!(f(3, 3).to_string(), "1");
        // 1,000,000/2,591,999 = 0.385802...: a denominator past a million.
        assert_eq!(f(1_000_000, 2_591_999).to_string(), "38.5803%");
        assert_eq!(f(1_000_000, 2_591_999).exact_text(), "1000000/2591999");
        // 1/1,024 terminates in ten places: too long as a decimal, so a
        // fraction.
        assert_eq!(f(1, 1_024).to_string(), "1/1,024");
        assert_eq!(f(1, 1_024).exact_text(), "0.0009765625");
        assert_eq!(f(1, 3).decimal().round_dp(6), Decimal::new(333_333, 6));
    }
}
