//! An independent reference for the option pricing method (OPM), and
//! properties that hold charter's valuation to it.
//!
//! The model: the equity at the exit is lognormal under the risk-neutral
//! measure, S_T = V exp((r − σ²/2) T + σ √T Z) with Z standard normal, and
//! each party is worth e^(−rT) E[payout(S_T)] today. The reference takes
//! the expectation by quadrature over Z, with charter's *payout* engine (the
//! exact amounts read off the walked exit curve) as the payout function:
//! only the valuation layer is under test, and the reference shares nothing
//! with it but the payouts. No call prices, no tranches, no digitals: the
//! integrand is evaluated pointwise and summed.
//!
//! The quadrature. A payout is piecewise linear in the exit, with kinks and
//! possibly jumps at the breakpoints, so the integrand in z is smooth (an
//! exponential times the normal density) between the z-values of the
//! breakpoints. The integral is split there, each smooth piece cut into
//! panels at most `PANEL` wide, and each panel integrated by `ORDER`-point
//! Gauss–Legendre. Gauss–Legendre never evaluates a panel's ends, so a jump
//! at a breakpoint is never read from the wrong side. The nodes are found
//! here by Newton's method on the Legendre polynomial.
//!
//! The range. Z runs over [−12, 12]. A payout is never negative and never
//! more than the exit, so what lies beyond is at most
//! e^(−rT) E[S_T; |Z| > 12] = V (N(σ√T − 12) + N(−σ√T − 12)). With σ√T at
//! most 1.0 × √6 = 2.45 in the properties below, that is under
//! 2 V N(−9.55) ≈ 1.3e−21 V: under $10^−12 for V up to $10^9.

use crate::common;

use charter::eval::breakpoints::exact_at;
use charter::eval::curve;
use charter::ir::Charter;
use charter::query::{self, Answer};
use common::generated::{series, text};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

/// Where the integral over Z stops on either side (see the module comment).
const Z_LIMIT: f64 = 12.0;
/// The widest panel in z.
const PANEL: f64 = 0.25;
/// Gauss–Legendre points a panel.
const ORDER: usize = 12;

/// The market inputs of a valuation, as charter is asked for them.
#[derive(Debug, Clone, Copy)]
struct Market {
    /// The equity value today, in dollars.
    equity: f64,
    /// The volatility a year, as a fraction (0.6 for 60%).
    volatility: f64,
    /// The term in years.
    term: f64,
    /// The continuously compounded risk-free rate, as a fraction.
    rate: f64,
}

impl Market {
    /// The exit at `z`: V exp((r − σ²/2) T + σ √T z).
    fn exit(&self, z: f64) -> f64 {
        let drift = (self.rate - self.volatility * self.volatility / 2.0) * self.term;
        self.equity * (drift + self.volatility * self.term.sqrt() * z).exp()
    }

    /// The z at which the exit is `x` (the inverse of [`Market::exit`]).
    fn z_of(&self, x: f64) -> f64 {
        let drift = (self.rate - self.volatility * self.volatility / 2.0) * self.term;
        ((x / self.equity).ln() - drift) / (self.volatility * self.term.sqrt())
    }
}

/// The Gauss–Legendre nodes and weights on [−1, 1], by Newton's method on
/// P_n from the Chebyshev guesses, P_n by its three-term recurrence.
fn gauss_legendre(n: usize) -> Vec<(f64, f64)> {
    let nf = n as f64;
    (0..n)
        .map(|i| {
            let mut x = (std::f64::consts::PI * (i as f64 + 0.75) / (nf + 0.5)).cos();
            let mut derivative = 0.0;
            for _ in 0..100 {
                // P_0 .. P_n at x.
                let (mut p0, mut p1) = (1.0, x);
                for k in 2..=n {
                    let kf = k as f64;
                    let p2 = ((2.0 * kf - 1.0) * x * p1 - (kf - 1.0) * p0) / kf;
                    p0 = p1;
                    p1 = p2;
                }
                derivative = nf * (x * p1 - p0) / (x * x - 1.0);
                let step = p1 / derivative;
                x -= step;
                if step.abs() < 1e-16 {
                    break;
                }
            }
            (x, 2.0 / ((1.0 - x * x) * derivative * derivative))
        })
        .collect()
}

/// The standard normal density.
fn density(z: f64) -> f64 {
    (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// e^(−rT) E[payout(S_T)] for each party, where `payout(x)` gives every
/// party's payout at exit `x` (always as many) and `breakpoints` are the
/// exits at which a payout may kink or jump.
fn reference(m: &Market, breakpoints: &[f64], payout: &mut dyn FnMut(f64) -> Vec<f64>) -> Vec<f64> {
    let rule = gauss_legendre(ORDER);
    let mut cuts: Vec<f64> = breakpoints
        .iter()
        .filter(|x| **x > 0.0)
        .map(|x| m.z_of(*x))
        .filter(|z| z.abs() < Z_LIMIT)
        .collect();
    cuts.extend([-Z_LIMIT, Z_LIMIT]);
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let mut sums: Vec<f64> = Vec::new();
    for piece in cuts.windows(2) {
        let (a, b) = (piece[0], piece[1]);
        if b <= a {
            continue;
        }
        let panels = ((b - a) / PANEL).ceil().max(1.0);
        let width = (b - a) / panels;
        for k in 0..panels as usize {
            let mid = a + width * (k as f64 + 0.5);
            for (node, weight) in &rule {
                let z = mid + width / 2.0 * node;
                let w = weight * width / 2.0 * density(z);
                let amounts = payout(m.exit(z));
                if sums.is_empty() {
                    sums = vec![0.0; amounts.len()];
                }
                assert_eq!(amounts.len(), sums.len(), "a payout of every party");
                for (s, a) in sums.iter_mut().zip(&amounts) {
                    *s += w * a;
                }
            }
        }
    }
    let discount = (-m.rate * m.term).exp();
    sums.iter().map(|s| s * discount).collect()
}

/// What charter pays each class and pool (in declaration order, classes
/// first) at exit `x`, exactly, read off the walked exit curve; and the
/// exits of its breakpoints.
fn payouts_of(c: &Charter) -> (impl FnMut(f64) -> Vec<f64> + '_, Vec<f64>) {
    let walked = curve::walk(c, &c.liquidation, None, curve::Detail::Pieces).unwrap();
    let breakpoints = match query::run(c, "q", "breakpoints") {
        Ok(Answer::Breakpoints(b)) => b.rows.iter().map(|r| r.exit.to_f64().unwrap()).collect(),
        Ok(other) => panic!("not breakpoints: {other:?}"),
        Err(p) => panic!("{}", charter::render::diagnostics::render(&p, false)),
    };
    let payout = move |x: f64| {
        let x = Decimal::from_f64(x).unwrap();
        exact_at(&walked, walked.regime_at(x), x)
            .unwrap()
            .iter()
            .map(|a| a.to_f64().unwrap())
            .collect()
    };
    (payout, breakpoints)
}

/// charter's valuation: each class's and pool's name and value.
fn charter_values(c: &Charter, m: &Statement) -> Vec<(String, Decimal)> {
    match query::run(c, "q", &m.query()) {
        Ok(Answer::Value(v)) => v
            .parties
            .iter()
            .map(|p| (p.name.clone(), p.value))
            .collect(),
        Ok(other) => panic!("not a valuation: {other:?}"),
        Err(p) => panic!("{}", charter::render::diagnostics::render(&p, false)),
    }
}

/// A `value` statement's inputs as exact decimals (what charter is told),
/// with the same inputs in floating point for the reference.
#[derive(Debug, Clone, Copy)]
struct Statement {
    equity_cents: u64,
    /// Volatility in hundredths of a percent.
    volatility_bp: u32,
    /// Term in hundredths of a year.
    term_hundredths: u32,
    /// Rate in hundredths of a percent.
    rate_bp: i32,
}

impl Statement {
    fn equity(&self) -> Decimal {
        Decimal::new(i64::try_from(self.equity_cents).unwrap(), 2)
    }

    fn query(&self) -> String {
        format!(
            "value at ${} volatility {}% term {} years rate {}%",
            self.equity(),
            Decimal::new(i64::from(self.volatility_bp), 2),
            Decimal::new(i64::from(self.term_hundredths), 2),
            Decimal::new(i64::from(self.rate_bp), 2),
        )
    }

    fn market(&self) -> Market {
        Market {
            equity: self.equity_cents as f64 / 100.0,
            volatility: f64::from(self.volatility_bp) / 10_000.0,
            term: f64::from(self.term_hundredths) / 100.0,
            rate: f64::from(self.rate_bp) / 10_000.0,
        }
    }

    /// How far charter's value of a party may lie from the reference:
    /// $0.05, or 1e−10 of the equity value if that is larger (the larger
    /// only past $500M). The reference is good to 1e−14 of V (see
    /// `the_quadrature_prices_the_equity_and_a_call`); charter rounds each
    /// value to the cent (half a cent) and then moves cents so the values
    /// sum to V (a cent a party); the 1e−10 leaves room for a normal CDF
    /// good to 1e−11 or so, as statrs's is.
    fn tolerance(&self) -> f64 {
        (self.equity_cents as f64 / 100.0 * 1e-10).max(0.05)
    }
}

/// Compares charter's values with the reference's, party by party; returns
/// every party further apart than the tolerance, as text.
fn mismatches(
    charter: &[(String, Decimal)],
    reference: &[f64],
    tolerance: f64,
) -> Result<(), String> {
    if charter.len() != reference.len() {
        return Err(format!(
            "{} parties valued by charter, {} by the reference",
            charter.len(),
            reference.len()
        ));
    }
    let far: Vec<String> = charter
        .iter()
        .zip(reference)
        .filter(|((_, v), r)| (v.to_f64().unwrap() - **r).abs() > tolerance)
        .map(|((name, v), r)| {
            format!(
                "{name}: charter {v}, reference {r:.4} (off by {:.4})",
                v.to_f64().unwrap() - r
            )
        })
        .collect();
    if far.is_empty() {
        Ok(())
    } else {
        Err(far.join("; "))
    }
}

/// The reference for `c` under `s`, with charter's payouts.
fn reference_of(c: &Charter, s: &Statement) -> Vec<f64> {
    let (mut payout, breakpoints) = payouts_of(c);
    reference(&s.market(), &breakpoints, &mut payout)
}

/// `value at $3M volatility 60% term 2 years rate 4%`.
const SMALL_STATEMENT: Statement = Statement {
    equity_cents: 300_000_000,
    volatility_bp: 6_000,
    term_hundredths: 200,
    rate_bp: 400,
};

/// The reference itself, on value.rs's `SMALL` cap table: within 2 cents of
/// the figures worked by hand from the Black–Scholes formula in value.rs
/// (Series A and B $936,379.11, Common $1,063,175.65, Lender warrants
/// $64,066.13). This checks the quadrature, the split at the breakpoints and
/// the reading of the payouts against an answer found another way.
#[test]
fn the_reference_agrees_with_the_small_case_worked_by_hand() {
    let c = common::load("small.charter", crate::value::SMALL);
    let values = reference_of(&c, &SMALL_STATEMENT);
    let names: Vec<String> = c.classes.iter().map(|k| k.name.clone()).collect();
    let by_hand = [
        ("Common", 1_063_175.65),
        ("A", 936_379.11),
        ("B", 936_379.11),
        ("Lender", 64_066.13),
    ];
    // Classes in declaration order (Common, A, B), then the warrants.
    assert_eq!(values.len(), 4, "{names:?}");
    for ((name, expected), got) in by_hand.iter().zip(&values) {
        assert!(
            (got - expected).abs() <= 0.02,
            "{name}: reference {got:.4}, by hand {expected}"
        );
    }
    // And what all are worth is the equity: e^(−rT) E[S_T] = V.
    let sum: f64 = values.iter().sum();
    assert!((sum - 3_000_000.0).abs() < 1e-6, "{sum}");
}

/// charter's own answer for the `SMALL` case is within the tolerance of
/// the reference, and its values sum to the equity to the cent.
#[test]
fn charter_agrees_with_the_reference_on_the_small_case() {
    let c = common::load("small.charter", crate::value::SMALL);
    let values = charter_values(&c, &SMALL_STATEMENT);
    let reference = reference_of(&c, &SMALL_STATEMENT);
    mismatches(&values, &reference, SMALL_STATEMENT.tolerance()).unwrap();
    let total: Decimal = values.iter().map(|p| p.1).sum();
    assert_eq!(total, SMALL_STATEMENT.equity());
}

/// The quadrature alone: the exit itself (every dollar paid to one party)
/// is worth exactly V, to 1e−13 of V, and a call struck at K is worth the
/// Black–Scholes price, to 1e−10 of V, for the most spread-out market the
/// properties draw (σ 100%, six years), the strike at the money and far in
/// either tail. (The call agrees to 1e−11 of V only because statrs's normal
/// CDF is good to about that: halving the panels and raising the order to
/// 20 moves neither figure, so the quadrature has converged.)
#[test]
fn the_quadrature_prices_the_equity_and_a_call() {
    let m = Market {
        equity: 200_000_000.0,
        volatility: 1.0,
        term: 6.0,
        rate: 0.06,
    };
    for strike in [1e3, 5e7, 2e8, 3e9, 1e11] {
        let mut pay = |x: f64| vec![x, (x - strike).max(0.0)];
        let got = reference(&m, &[0.0, strike], &mut pay);
        assert!((got[0] - m.equity).abs() < 1e-13 * m.equity, "{}", got[0]);
        // Black–Scholes, with N from statrs (a dependency of the crate).
        use statrs::distribution::{ContinuousCDF, Normal};
        let n = Normal::standard();
        let sd = m.volatility * m.term.sqrt();
        let d1 = ((m.equity / strike).ln() + m.rate * m.term + sd * sd / 2.0) / sd;
        let call = m.equity * n.cdf(d1) - strike * (-m.rate * m.term).exp() * n.cdf(d1 - sd);
        assert!(
            (got[1] - call).abs() < 1e-10 * m.equity,
            "K {strike}: {} vs {call}",
            got[1]
        );
    }
}

/// The shipped charters, SCC's with its jump at $91,915,000 (valued by
/// charter as a digital; here just a cut in the integral), at equities
/// either side of their breakpoints: every class and pool within the
/// tolerance of the reference, the values summing to the equity.
#[test]
fn charter_agrees_with_the_reference_on_the_shipped_charters() {
    for name in common::SHIPPED {
        let c = common::load_file(name);
        for (equity_cents, volatility_bp, term_hundredths, rate_bp) in [
            (2_500_000_000, 5_500, 350, 420),
            (10_000_000_000, 5_000, 300, 400),
            (50_000_000_000, 9_000, 500, -50),
        ] {
            let s = Statement {
                equity_cents,
                volatility_bp,
                term_hundredths,
                rate_bp,
            };
            let values = charter_values(&c, &s);
            let reference = reference_of(&c, &s);
            if let Err(e) = mismatches(&values, &reference, s.tolerance()) {
                panic!("{name}, {}: {e}", s.query());
            }
            let total: Decimal = values.iter().map(|p| p.1).sum();
            assert_eq!(total, s.equity(), "{name}, {}", s.query());
        }
    }
}

/// The comparison can fail: with a payout shifted by a dollar for one party
/// (worth e^(−rT) dollars today), or with the rate a point off, the
/// reference no longer matches charter's answer and `mismatches` says so.
#[test]
fn the_comparison_reports_a_perturbed_reference() {
    let c = common::load("small.charter", crate::value::SMALL);
    let values = charter_values(&c, &SMALL_STATEMENT);
    let tolerance = SMALL_STATEMENT.tolerance();

    // A dollar more to Series A at every exit.
    let (mut payout, breakpoints) = payouts_of(&c);
    let mut shifted = |x: f64| {
        let mut p = payout(x);
        p[1] += 1.0;
        p
    };
    let wrong = reference(&SMALL_STATEMENT.market(), &breakpoints, &mut shifted);
    let err = mismatches(&values, &wrong, tolerance).unwrap_err();
    assert!(err.starts_with(&format!("{}:", values[1].0)), "{err}");
    assert_eq!(err.matches(';').count(), 0, "only A is off: {err}");

    // The rate at 5% instead of 4%.
    let mut m = SMALL_STATEMENT.market();
    m.rate = 0.05;
    let wrong = reference(&m, &breakpoints, &mut payout);
    assert!(mismatches(&values, &wrong, tolerance).is_err());

    // Unperturbed, it matches.
    let right = reference(&SMALL_STATEMENT.market(), &breakpoints, &mut payout);
    mismatches(&values, &right, tolerance).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24)
    ))]

    /// On generated charters (up to three ranks, every kind of
    /// participation and cap, conversions, an option pool) and markets
    /// (V $1M..$200M, σ 20%..100%, T 0.5..6 years, r −1%..6%), every class's
    /// and pool's value from charter is within max($0.05, 1e−10 V) of the
    /// reference ([`Statement::tolerance`] says why), and the values sum to
    /// V exactly, to the cent.
    #[test]
    fn charter_values_every_party_as_the_reference_does(
        common in 1u32..20_000_000,
        list in prop::collection::vec(series(), 1..6),
        options in prop::option::of((1u32..2_000_000, 1u32..1_000)),
        equity_cents in 100_000_000u64..20_000_000_000,
        volatility_bp in 2_000u32..=10_000,
        term_hundredths in 50u32..=600,
        rate_bp in -100i32..=600,
    ) {
        let src = text(common, &list, options);
        let c = common::load("generated.charter", &src);
        let s = Statement { equity_cents, volatility_bp, term_hundredths, rate_bp };
        let values = charter_values(&c, &s);
        let total: Decimal = values.iter().map(|p| p.1).sum();
        prop_assert_eq!(total, s.equity(), "{}\n{}", s.query(), src);
        let reference = reference_of(&c, &s);
        let compared = mismatches(&values, &reference, s.tolerance());
        prop_assert!(compared.is_ok(), "{}\n{}\n{}", compared.unwrap_err(), s.query(), src);
    }
}
