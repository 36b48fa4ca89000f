//! The option pricing method: a small cap table worked by hand from the
//! Black-Scholes formula, the values summing to the equity value, the limit
//! as volatility falls to zero, and a jump valued as a digital option.

use crate::common;

use charter::analysis::value::Valuation;
use charter::ir::Charter;
use charter::query::{self, Answer};
use common::{d, load, load_file, payout};
use rust_decimal::Decimal;

/// Two series pari passu, common, and warrants for common.
pub const SMALL: &str = r#"
charter "Small, Inc." { filed 2020-01-01 }
stock Common { common outstanding 1_000_000 }
stock A "Series A" { preferred outstanding 500_000 original issue price $2.00 conversion price $2.00 }
stock B "Series B" { preferred outstanding 500_000 original issue price $2.00 conversion price $2.00 }
warrants "Lender" 100_000 Common at $1.00
liquidation {
  A pari passu with B
  shortfall A, B: ratably by full preferential amount
  preference A, B: 1x original issue price
  A, B do not participate
}
conversion {
  A, B convert at the holder's option
}
"#;

fn value(c: &Charter, statement: &str) -> Valuation {
    match query::run(c, "query", statement) {
        Ok(Answer::Value(v)) => *v,
        Ok(other) => panic!("not a valuation: {other:?}"),
        Err(p) => panic!("{}", charter::render::diagnostics::render(&p, false)),
    }
}

fn of(v: &Valuation, name: &str) -> Decimal {
    v.parties
        .iter()
        .find(|p| p.name.starts_with(name))
        .unwrap()
        .value
}

fn total(v: &Valuation) -> Decimal {
    v.parties.iter().map(|p| p.value).sum()
}

#[test]
fn a_small_cap_table_worked_from_the_formula() {
    // Breakpoints, by hand: A and B share the first $2M half each (their
    // $1M preferences); common takes the next dollar to $3M, where the
    // warrants come into the money ($1,000,000 of residual over 1,000,000
    // shares = $1.00); then common 10/11 and the warrants 1/11; from $4.1M
    // A and B convert ((X + $100,000) / 2,100,000 shares > $2.00): common
    // 10/21, A 5/21, B 5/21, warrants 1/21.
    //
    // V = $3M, σ = 60%, T = 2, r = 4%: σ√T = 0.848528, e^(−rT) = 0.923116.
    // C(K) = V N(d1) − K e^(−rT) N(d2), d1 = (ln(V/K) + (r + σ²/2)T)/σ√T:
    //   C($2M):   d1 = 0.996390, d2 = 0.147862 → $1,489,781.94
    //   C($3M):   d1 = 0.518545, d2 = −0.329983 → $1,067,267.61
    //   C($4.1M): d1 = 0.150408, d2 = −0.698120 → $761,334.33
    // A = ½ ($3M − C($2M)) + 5/21 C($4.1M) = $755,109.03 + $181,270.08
    //   = $936,379.11 (B the same);
    // common = (C($2M) − C($3M)) + 10/11 (C($3M) − C($4.1M)) + 10/21 C($4.1M)
    //   = $422,514.33 + $278,121.17 + $362,540.16 = $1,063,175.65;
    // warrants = 1/11 × $305,933.28 + 1/21 × $761,334.33 = $64,066.13.
    let c = load("small.charter", SMALL);
    let v = value(&c, "value at $3M volatility 60% term 2 years rate 4%");
    assert_eq!(of(&v, "Series A"), d("936379.11"));
    assert_eq!(of(&v, "Series B"), d("936379.11"));
    assert_eq!(of(&v, "Common"), d("1063175.65"));
    assert_eq!(of(&v, "Lender"), d("64066.13"));
    assert_eq!(total(&v), d("3000000"));
    // The tranches: four, their calls as worked above (to the cent).
    let calls: Vec<Decimal> = v.tranches.iter().map(|t| t.call.round_dp(2)).collect();
    assert_eq!(
        calls,
        vec![
            d("3000000"),
            d("1489781.94"),
            d("1067267.61"),
            d("761334.33")
        ]
    );
    // Per share: A $936,379.11 / 500,000.
    assert_eq!(v.parties[1].per_share, d("1.8728"));
}

#[test]
fn as_volatility_falls_each_value_tends_to_the_discounted_forward_payout() {
    // σ → 0: the exit is V e^(rT) for certain, worth e^(−rT) times its
    // payout today. V e^(rT) = $3M × e^(0.08) = $3,249,861.2031 (between the
    // warrants' $3M and the conversions' $4.1M).
    let c = load("small.charter", SMALL);
    let v = value(&c, "value at $3M volatility 0.01% term 2 years rate 4%");
    let p = payout(&c, "payout $3249861.20");
    let discount = d("0.923116346386635783");
    for name in ["Common", "Series A", "Series B"] {
        let expected = common::class(&p, name) * discount;
        // The cent the forward is rounded to, and the cent of each value.
        assert!(
            (of(&v, name) - expected).abs() < d("0.02"),
            "{name}: {} vs {expected}",
            of(&v, name)
        );
    }
    assert_eq!(total(&v), d("3000000"));
}

#[test]
fn a_jump_is_valued_as_a_digital_option() {
    // SCC § 2(a)(v): Series A participates only while the distribution per
    // share is below $11.86, so its payout jumps at $91,915,000. The jump is
    // valued as a digital: each party's jump times e^(−rT) N(d2).
    let c = load_file("scc.charter");
    let v = value(&c, "value at $100M volatility 50% term 3 years rate 4%");
    let jump = v.digitals.iter().find(|j| j.exit == d("91915000")).unwrap();
    // The unit, from the formula: d1 = (ln(100/91.915) + (0.04 + 0.125) × 3)
    // / (0.5 √3) = 0.668925, d2 = d1 − 0.866025 = −0.197101; e^(−0.12) =
    // 0.886920; N(−0.197101) = 0.421870; unit = 0.374169.
    assert!(
        (jump.unit - d("0.374169")).abs() < d("0.000001"),
        "{}",
        jump.unit
    );
    // A stops participating there, so it falls; each part is its jump times
    // the unit.
    let a = jump.parts.iter().find(|p| p.0 == "Series A").unwrap();
    assert!(a.1 < Decimal::ZERO, "{:?}", a.1);
    assert_eq!(a.2, a.1 * jump.unit);
    // The jumps sum to nothing: what one loses, the others gain.
    let sum: Decimal = jump.parts.iter().map(|p| p.1).sum();
    assert!(sum.abs() < d("0.000001"), "{sum}");
    assert_eq!(total(&v), d("100000000"));
}

/// A backsolve through a jump: SCC's Series A falls at $91,915,000 (the
/// digital above). Valued at $100M, A is worth some price a share; solving
/// for that price gives back an equity at which A is worth it to the cent,
/// and with A's jump counted the wrong way the search lands elsewhere.
#[test]
fn a_backsolve_counts_the_jumps() {
    let c = load_file("scc.charter");
    round_trips_at_100m(&c, "A", d("2100000"), |v| of(v, "Series A"));
}

/// Values the charter at $100M (volatility 50%, 3 years, 4%), takes the
/// party's value a share to the cent, and backsolves it: at the solved
/// equity the party is worth that price to the cent, and the equity is near
/// $100M (a dollar of equity moves the value a share by far less than a
/// cent).
fn round_trips_at_100m(
    c: &Charter,
    party: &str,
    held: Decimal,
    worth: impl Fn(&Valuation) -> Decimal,
) {
    let market = "volatility 50% term 3 years rate 4%";
    let v = value(c, &format!("value at $100M {market}"));
    let price = (worth(&v) / held).round_dp(2);
    let solved = value(
        c,
        &format!("value solving {party} at ${price} per share {market}"),
    );
    assert_eq!((worth(&solved) / held).round_dp(2), price);
    assert!(
        (solved.inputs.equity - d("100000000")).abs() < d("1000000"),
        "{}",
        solved.inputs.equity
    );
}

/// The same through the jump for a named holder, whose part of Series A is
/// a half (1,050,000 of its 2,100,000 shares): the jump's value is counted
/// at that part, so the solved equity gives the holder the price back.
#[test]
fn a_holders_backsolve_counts_its_part_of_the_jumps() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/charters/scc.charter");
    let text = std::fs::read_to_string(path).unwrap() + "\nholders { \"Fund\" 1_050_000 A }\n";
    let c = load("scc.charter", &text);
    let fund = |v: &Valuation| v.holders.iter().find(|h| h.name == "Fund").unwrap().value;
    round_trips_at_100m(&c, "\"Fund\"", d("1050000"), fund);
}

/// Where a cent of equity is a cent a share (one share of common, nothing
/// else) there is one answer: Common is worth $1,234.56 a share at an equity
/// of exactly $1,234.56 — the search's cent, checked against the decimal
/// valuation of the party, not moved.
#[test]
fn a_one_share_company_backsolves_to_the_exact_cent() {
    let c = load(
        "one.charter",
        "charter \"One, Inc.\" { filed 2020-01-01 }\nstock Common { common outstanding 1 }\n",
    );
    let v = value(
        &c,
        "value solving Common at $1234.56 per share volatility 60% term 2 years rate 4%",
    );
    assert_eq!(v.inputs.equity, d("1234.56"));
    assert_eq!(of(&v, "Common"), d("1234.56"));
}

/// A price no equity value reaches: Common (1,000,000 of 2,100,000 shares
/// as converted, warrants for 100,000 more at $1.00) is worth about nothing
/// at $1 and about $10^16 / 2,100,000 = $4,761,904,761.90 a share at
/// $10^16; $10^12 a share is out of reach, and the message says what each
/// end gives.
#[test]
fn an_unreachable_price_says_what_each_end_gives() {
    let c = load("small.charter", SMALL);
    let err = query::run(
        &c,
        "q",
        "value solving Common at $1000000000000 per share volatility 60% term 2 years rate 4%",
    )
    .unwrap_err();
    let text = charter::render::diagnostics::render(&err, false);
    // The message as one line, whatever the width it was wrapped to.
    let flat = text
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("no equity value between $1 and $10^16"),
        "{text}"
    );
    assert!(
        flat.contains("it is worth $0.00 a share at $1 and $4,761,904,76"),
        "{text}"
    );
}

#[test]
fn bad_inputs_get_diagnostics() {
    let c = load("small.charter", SMALL);
    for (s, says) in [
        (
            "value at $3M volatility 0% term 2 years rate 4%",
            "a volatility above zero",
        ),
        (
            "value at $3M volatility 60% term 0 years rate 4%",
            "a term above zero",
        ),
        (
            "value at $3M volatility 1200% term 2 years rate 4%",
            "beyond 1000%",
        ),
    ] {
        let err = query::run(&c, "q", s).unwrap_err();
        let text = charter::render::diagnostics::render(&err, false);
        assert!(text.contains(says), "{s}: {text}");
    }
}

#[test]
fn backsolve_round_trips_to_the_cent() {
    let c = load("small.charter", SMALL);
    for (party, price) in [
        ("Series A", "1.8728"),
        ("Series A", "1.50"),
        ("Common", "1.50"),
        ("Common", "0.25"),
        ("\"Lender\"", "0.90"),
    ] {
        let v = value(
            &c,
            &format!(
                "value solving {party} at ${price} per share volatility 60% term 2 years rate 4%"
            ),
        );
        let name = party.trim_matches('"');
        let p = v.parties.iter().find(|p| p.name.starts_with(name)).unwrap();
        // Value at the solved equity, a share, to the cent, is the price.
        assert_eq!(
            (p.value / p.shares).round_dp(2),
            d(price).round_dp(2),
            "{party} {price}"
        );
        assert_eq!(total(&v), v.inputs.equity);
    }
    // Series A at $1.8728 a share is worth that at about $3M, as worked above.
    let v = value(
        &c,
        "value solving A at $1.8728 per share volatility 60% term 2 years rate 4%",
    );
    assert!(
        (v.inputs.equity - d("3000000")).abs() < d("500"),
        "{}",
        v.inputs.equity
    );
    // A price of nothing is refused before any solving.
    let err = query::run(
        &c,
        "q",
        "value solving A at $0 per share volatility 60% term 2 years rate 4%",
    )
    .unwrap_err();
    assert!(charter::render::diagnostics::render(&err, false).contains("above zero"));
}

/// A tranche's value times a party's share kept as a fraction of
/// 28-digit numbers (the product overflows): worked at 60 digits,
/// $22,877,954.823987 × 2.25e27 / 5454904024225151407196294977 =
/// $9,436,536.0280161183…; dividing first gave $9,436,536.000000, off by
/// 2.8 cents, which left a valuation's cents unaccounted.
#[test]
fn scale_keeps_its_digits_when_the_product_overflows() {
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    let got = charter::num::scale(
        d("22877954.823987"),
        d("2250000000000000000000000000"),
        d("5454904024225151407196294977"),
        "test",
    )
    .unwrap();
    assert!(
        (got - d("9436536.0280161183334934574306")).abs() < d("0.0000000001"),
        "{got}"
    );
}

/// After Avesta's down round (1,000,000 Common at $3.00) the last tranche's
/// shares are fractions of 28-digit numbers; the values must still add up
/// to the equity to the cent (they were 5.8 cents short before).
#[test]
fn a_valuation_after_a_down_round_adds_up() {
    let c = load_file("avesta.charter");
    let mut session = charter::query::Session::new(&c);
    session.run("event", "issue 1000000 Common at $3").unwrap();
    let answer = session
        .run("value", "value at $50M volatility 60% term 2 years rate 4%")
        .unwrap();
    let Answer::Value(v) = answer else {
        panic!("not a valuation")
    };
    let total: Decimal = v.parties.iter().map(|p| p.value).sum();
    assert_eq!(total, d("50000000"));
}

/// The Black-Scholes call and digital, in f64, written here apart from the
/// program's: C(K) = V N(d1) − K e^(−rT) N(d2), and e^(−rT) N(d2).
fn formula(v: f64, sigma: f64, t: f64, r: f64) -> (impl Fn(f64) -> f64, impl Fn(f64) -> f64) {
    use statrs::distribution::{ContinuousCDF, Normal};
    let n = Normal::new(0.0, 1.0).unwrap();
    let st = sigma * t.sqrt();
    let d1 = move |k: f64| ((v / k).ln() + (r + sigma * sigma / 2.0) * t) / st;
    let disc = (-r * t).exp();
    let n2 = n;
    let call = move |k: f64| {
        if k <= 0.0 {
            v
        } else {
            v * n.cdf(d1(k)) - k * disc * n.cdf(d1(k) - st)
        }
    };
    let digital = move |k: f64| disc * n2.cdf(d1(k) - st);
    (call, digital)
}

/// Each party's value is the formula applied to its tranches and jumps
/// with nothing rounded on the way: within a cent (the rounding to the
/// cent, and the cent the remainder rule may move) at equities from $3.1M
/// to $10^10. SCC's Series A has a jump (its participation lapses at 3x),
/// whose digital was once rounded to a millionth of a dollar per dollar of
/// jump: $2.19 short at $3,115,500 (issue 31).
#[test]
fn every_value_is_the_formula_to_the_cent() {
    let c = load_file("scc.charter");
    for equity in ["3115500", "48000000", "1000000000", "10000000000"] {
        let v = value(
            &c,
            &format!("value at ${equity} volatility 55% term 3.5 years rate 4.2%"),
        );
        let (call, digital) = formula(equity.parse().unwrap(), 0.55, 3.5, 0.042);
        for p in &v.parties {
            let mut expected = 0.0;
            for t in &v.tranches {
                let share = t.shares.iter().find(|s| s.name == p.name).map_or(0.0, |s| {
                    (s.share.num / s.share.den)
                        .to_string()
                        .parse::<f64>()
                        .unwrap()
                });
                let lower = call(t.from.to_string().parse().unwrap());
                let upper = t.to.map_or(0.0, |x| call(x.to_string().parse().unwrap()));
                expected += share * (lower - upper);
            }
            for j in &v.digitals {
                for (n, jump, _) in &j.parts {
                    if *n == p.name {
                        expected += jump.to_string().parse::<f64>().unwrap()
                            * digital(j.exit.to_string().parse().unwrap());
                    }
                }
            }
            let got: f64 = p.value.to_string().parse().unwrap();
            assert!(
                (got - expected).abs() <= 0.015,
                "at ${equity}, {} is {got} against the formula's {expected:.4}",
                p.name
            );
        }
    }
}

/// A class its named holders hold entirely has no line for other holders:
/// SMALL's 500,000 Series A held by two funds, 300,000 and 200,000, split
/// A's value 3 : 2 with nothing left over (cargo mutants: reading "held
/// all" as "some left" survived the suite, adding a line of no shares).
#[test]
fn a_class_held_entirely_by_named_holders_has_no_other_holders() {
    let text = SMALL.replacen(
        "liquidation {",
        "holders {\n  \"Fund One\" 300_000 A\n  \"Fund Two\" 200_000 A\n}\nliquidation {",
        1,
    );
    let c = load("small.charter", &text);
    let v = value(&c, "value at $3M volatility 60% term 2 years rate 4%");
    let names: Vec<&str> = v.holders.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["Fund One", "Fund Two"]);
    // Series A is worth $936,379.11 (worked above): 3/5 and 2/5 of it, the
    // leftover cent to the larger fraction dropped.
    let a = of(&v, "Series A");
    assert_eq!(a, d("936379.11"));
    assert_eq!(v.holders[0].value + v.holders[1].value, a);
    assert_eq!(v.holders[0].value, d("561827.47"));
}

proptest::proptest! {
    #![proptest_config(common::generated::config(12))]

    /// Backsolve round trip on generated charters: value the cap table at
    /// an equity value, take Common's value per share (to the cent), and
    /// backsolve the equity at which Common is worth that: there Common's
    /// value per share is the same to the cent, and the values sum to the
    /// solved equity. Where Common is worth under a cent a share the price
    /// says too little to solve for, and the case is skipped.
    #[test]
    fn backsolving_the_value_of_common_round_trips(
        common_shares in 1u32..20_000_000,
        list in proptest::collection::vec(common::generated::series(), 1..5),
        options in proptest::option::of((1u32..2_000_000, 1u32..1_000)),
        equity_dollars in 1_000_000u64..200_000_000,
    ) {
        let src = common::generated::text(common_shares, &list, options);
        let c = load("generated.charter", &src);
        let market = "volatility 55% term 3 years rate 4%";
        let v = value(&c, &format!("value at ${equity_dollars} {market}"));
        let shares = Decimal::from(common_shares);
        let price = (of(&v, "Common") / shares).round_dp(2);
        proptest::prop_assume!(price >= d("0.01"));
        let solved = value(&c, &format!("value solving Common at ${price} per share {market}"));
        let again = (of(&solved, "Common") / shares).round_dp(2);
        proptest::prop_assert_eq!(again, price, "{}\n{}", solved.inputs.equity, src);
        let total: Decimal = solved.parties.iter().map(|p| p.value).sum();
        proptest::prop_assert_eq!(total, solved.inputs.equity);
    }
}
