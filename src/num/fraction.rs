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

impl std::fmt::Display for Fraction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.reduced() {
            Some((n, d)) => {
                // A denominator of only twos and fives terminates.
                let mut rest = d;
                while rest % 2 == 0 {
                    rest /= 2;
                }
                while rest % 5 == 0 {
                    rest /= 5;
                }
                match (rest == 1)
                    .then(|| {
                        Decimal::from_i128_with_scale(n, 0)
                            .checked_div(Decimal::from_i128_with_scale(d, 0))
                    })
                    .flatten()
                {
                    Some(v)
                        if v.checked_mul(Decimal::from_i128_with_scale(d, 0))
                            == Some(Decimal::from_i128_with_scale(n, 0)) =>
                    {
                        write!(f, "{}", v.normalize())
                    }
                    _ if d == 1 => write!(f, "{n}"),
                    _ => write!(f, "{n}/{d}"),
                }
            }
            None => match self.num.checked_div(self.den) {
                Some(v) => write!(f, "{}…", v.round_dp(20).normalize()),
                None => write!(f, "?"),
            },
        }
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a.checked_rem(b).unwrap_or(0));
    }
    a
}
