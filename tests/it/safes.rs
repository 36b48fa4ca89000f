//! SAFEs at a Liquidity Event (issue 35, part one), worked by hand from the
//! standard forms' own definitions:
//!
//! - the post-money SAFE: at a Liquidity Event the Investor receives the
//!   greater of the Cash-Out Amount (the Purchase Amount) and the Conversion
//!   Amount (what the Purchase Amount ÷ Liquidity Price shares of common are
//!   paid); Liquidity Price = Post-Money Valuation Cap ÷ Liquidity
//!   Capitalization, which counts the capital stock outstanding (preferred as
//!   converted), the options outstanding and the Converting Securities (the
//!   SAFEs themselves), not the unissued pool; the Cash-Out Amount is paid
//!   on par with the preferred's preferences, pro rata to the full amounts
//!   due where proceeds fall short, ahead of common;
//! - the pre-money SAFE: the same, its Liquidity Capitalization leaving out
//!   the SAFEs (and notes);
//! - a convertible note at a change of control: the greater of the
//!   multiple of principal and interest its terms state and conversion at
//!   the cap; interest by its day count.

use crate::common;

use charter::query;
use common::{assert_payouts, class, d, load, payout};
use rust_decimal::Decimal;

/// 9,000,000 common, 1,000,000 options at $0.10, and one SAFE of `terms`.
fn seedling(terms: &str) -> String {
    format!(
        r#"charter "Seedling, Inc." {{ filed 2024-01-01 jurisdiction Delaware }}
stock Common {{ common outstanding 9_000_000 }}
options "2024 Plan" 1_000_000 Common at $0.10
safe Seed "Seed SAFE" § 1 {{
{terms}
}}
liquidation {{
  Seed senior to Common
}}
"#
    )
}

/// The net payout of the one pool.
fn options(p: &charter::eval::Payout) -> Decimal {
    p.pools[0].payout
}

#[test]
fn a_post_money_safe_takes_the_greater_of_its_cash_out_and_its_conversion() {
    // Liquidity Capitalization: 9,000,000 + 1,000,000 options = 10,000,000
    // before the SAFE, which owns $1M / $10M = 10% of the whole:
    // 10,000,000 / (1 − 0.1) = 11,111,111.1… shares, the SAFE's 1,111,111.1…;
    // Liquidity Price $10M / 11,111,111.1… = $0.90.
    let c = load(
        "seedling.charter",
        &seedling("  post-money\n  purchase amount $1_000_000\n  valuation cap $10M"),
    );
    // At $50M the options are exercised ($100,000 paid in: $50.1M shared)
    // and the SAFE converts: 10% of $50.1M = $5,010,000 (more than its
    // $1M); common 9,000,000 / 11,111,111.1… = 81%: $40,581,000; the
    // options 9%: $4,509,000 less $100,000 = $4,409,000.
    let p = payout(&c, "payout $50M");
    assert_payouts(
        &p,
        &[("Common", "40581000.00"), ("Seed SAFE", "5010000.00")],
    );
    assert_eq!(options(&p), d("4409000.00"));
    assert!(p.classes[1].converted);
    // At $5M the SAFE takes its Cash-Out Amount, $1M, first; the $4.1M
    // left (with the exercise price) over 10,000,000 shares is $0.41 a
    // share: common $3,690,000, the options $410,000 − $100,000 = $310,000.
    // Converting would have paid it 10% of $5.1M = $510,000.
    let p = payout(&c, "payout $5M");
    assert_payouts(&p, &[("Common", "3690000.00"), ("Seed SAFE", "1000000.00")]);
    assert_eq!(options(&p), d("310000.00"));
    assert!(!p.classes[1].converted);
    let safe = p.decisions.iter().find(|x| x.who == "Seed SAFE").unwrap();
    assert_eq!(
        (safe.chosen, safe.alternative),
        (d("1000000.00"), d("510000.00"))
    );
}

#[test]
fn the_safe_s_switch_is_a_breakpoint_with_its_cause() {
    // It converts where 10% of (exit + $100,000) reaches $1M: an exit of
    // $9,900,000, where a converted share is worth the $0.90 Liquidity
    // Price.
    let c = load(
        "seedling.charter",
        &seedling("  post-money\n  purchase amount $1_000_000\n  valuation cap $10M"),
    );
    let b = common::breakpoints(&c, "breakpoints");
    let row = b
        .rows
        .iter()
        .find(|r| {
            r.causes
                .iter()
                .any(|k| k.what.contains("Seed SAFE converts"))
        })
        .unwrap();
    assert_eq!(row.exit, d("9900000"));
    assert!(
        row.causes[0].what.contains(
            "its Conversion Amount at the Liquidity Price is more than its Cash-Out Amount"
        )
    );
}

#[test]
fn a_pre_money_safe_leaves_the_safes_out_of_its_capitalization() {
    // Pre-money: the Liquidity Capitalization is the 10,000,000 without the
    // SAFE, so $2M at a $10M cap buys 2,000,000 shares ($1.00 each), 2/12
    // of the 12,000,000 after. At $60M ($60.1M with the exercise price):
    // the SAFE 2/12 × $60.1M = $10,016,666.66…, common 9/12 = $45,075,000,
    // the options 1/12 = $5,008,333.33… less $100,000 = $4,908,333.33….
    // To the cent: $10,016,666.66 + $45,075,000.00 + $4,908,333.33 is a
    // cent short, and the largest fraction dropped (the SAFE's .66…) takes
    // it: $10,016,666.67.
    let c = load(
        "seedling.charter",
        &seedling("  pre-money\n  purchase amount $2_000_000\n  valuation cap $10M"),
    );
    let p = payout(&c, "payout $60M");
    assert_payouts(
        &p,
        &[("Common", "45075000.00"), ("Seed SAFE", "10016666.67")],
    );
    assert_eq!(options(&p), d("4908333.33"));
    // It converts where 2/12 of (exit + $100,000) reaches $2M: $11.9M.
    let b = common::breakpoints(&c, "breakpoints");
    assert!(b.rows.iter().any(|r| {
        r.exit == d("11900000")
            && r.causes
                .iter()
                .any(|k| k.what.contains("Seed SAFE converts"))
    }));
}

/// Common, a Series A of 2,000,000 at $1.00 (1x, non-participating,
/// converting 1:1), and a post-money SAFE of $1M at a $20M cap on par with
/// it.
const WITH_SERIES_A: &str = r#"charter "Sprout, Inc." { filed 2024-01-01 jurisdiction Delaware }
stock Common { common outstanding 8_000_000 }
stock A "Series A" { preferred outstanding 2_000_000 original issue price $1.00 conversion price $1.00 }
safe Seed "Seed SAFE" {
  post-money
  purchase amount $1_000_000
  valuation cap $20M
}
liquidation {
  # "on par with payments for other Safes and/or Preferred Stock ...
  #  pro rata ... in proportion to the full payments that would otherwise
  #  be due"
  A pari passu with Seed
  shortfall A, Seed: ratably by full preferential amount
  preference A: 1x original issue price
  A does not participate
}
conversion {
  A converts at the holder's option
}
"#;

#[test]
fn a_safe_and_a_series_a_short_of_proceeds_share_pro_rata() {
    let c = load("sprout.charter", WITH_SERIES_A);
    // $1.5M against $2M (A) and $1M (the SAFE) due: 2/3 and 1/3.
    let p = payout(&c, "payout $1.5M");
    assert_payouts(
        &p,
        &[
            ("Series A", "1000000.00"),
            ("Seed SAFE", "500000.00"),
            ("Common", "0"),
        ],
    );
    // At $100M all convert: before the SAFE, 8,000,000 + 2,000,000 =
    // 10,000,000; the SAFE owns $1M / $20M = 5% of the whole, so $5M; A
    // 2,000,000 × 0.95 / 10,000,000 = 19%: $19M; common 76%: $76M.
    let p = payout(&c, "payout $100M");
    assert_payouts(
        &p,
        &[
            ("Series A", "19000000.00"),
            ("Seed SAFE", "5000000.00"),
            ("Common", "76000000.00"),
        ],
    );
}

#[test]
fn an_issue_of_common_moves_the_shares_a_safe_converts_into() {
    let after_issue = |terms: &str| {
        let c = load("seedling.charter", &seedling(terms));
        let mut s = query::Session::new(&c);
        s.run("t", "issue 1_111_111 Common at $0.50 on 2024-06-01")
            .unwrap();
        let query::Answer::Payout(p) = s.run("t", "payout $50M").unwrap() else {
            panic!()
        };
        class(&p, "Seed SAFE")
    };
    // Post-money: before the SAFE, 11,111,111 shares; it still owns 10% of
    // the whole, so its shares grow to 1,234,567.9 (its 1,111,111.1 of
    // before would be 9.09%). At $50M, with the options' $100,000: 10% of
    // $50.1M = $5,010,000, as before the issue.
    let post = after_issue("  post-money\n  purchase amount $1_000_000\n  valuation cap $10M");
    assert_eq!(post, d("5010000.00"));
    // Pre-money, where the issue moves its share of the whole: $1M at a
    // $10M cap over 11,111,111 is 1,111,111.1 shares, and 9,000,000 + 1,111,111
    // + 1,000,000 options + 1,111,111.1 = 12,222,222.1 = 11 × 1,111,111.1,
    // so it takes 1/11 of $50.1M = $4,554,545.45…, within the cent the
    // remainder rule moves. (Its 1,000,000 shares before the issue would
    // give $4,136,697.…)
    let pre = after_issue("  pre-money\n  purchase amount $1_000_000\n  valuation cap $10M");
    let exact = d("50100000") / d("11");
    assert!((pre - exact).abs() < d("0.01"), "{pre} against {exact}");
}

/// The rendered problems of `text`.
fn problems(text: &str) -> String {
    let source = charter::diagnostic::Source::new("bad.charter", text);
    match charter::check::load(&source) {
        Ok(_) => panic!("checked:\n{text}"),
        Err(p) => charter::render::diagnostics::render(&p, false)
            .split_whitespace()
            .filter(|w| *w != "│")
            .collect::<Vec<_>>()
            .join(" "),
    }
}

#[test]
fn a_safe_states_its_form_and_terms_and_nothing_else_states_them() {
    // The form is never assumed: it decides whose shares the cap divides.
    let p = problems(&seedling(
        "  purchase amount $1_000_000\n  valuation cap $10M",
    ));
    assert!(p.contains("post-money or pre-money?"), "{p}");
    // A Discount Rate is 100% less the discount, so above 0%.
    let p = problems(&seedling(
        "  post-money\n  purchase amount $1M\n  discount rate 0%",
    ));
    assert!(
        p.contains("a Discount Rate of 0% is not above 0% and at most 100%"),
        "{p}"
    );
    // The SAFE's preference and conversion are its own terms.
    let text = WITH_SERIES_A.replace(
        "  A does not participate",
        "  A does not participate\n  preference Seed: 2x original issue price",
    );
    let p = problems(&text);
    assert!(
        p.contains("Seed SAFE is a SAFE: what it is paid and how it converts are its own terms"),
        "{p}"
    );
    // A pre-money SAFE beside a post-money one: the post-money form counts
    // it as converted at a price the sale sets; refused, not guessed.
    let text = WITH_SERIES_A.replace(
        "liquidation {",
        "safe Pre \"Pre SAFE\" {\n  pre-money\n  purchase amount $500_000\n  valuation cap $5M\n}\nliquidation {",
    );
    let p = problems(
        &text
            .replace("A pari passu with Seed", "A pari passu with Seed, Pre")
            .replace("shortfall A, Seed:", "shortfall A, Seed, Pre:"),
    );
    assert!(
        p.contains("a pre-money SAFE converts at a price the sale sets"),
        "{p}"
    );
}

#[test]
fn events_a_safe_does_not_support_yet_are_refused() {
    let c = load("sprout.charter", WITH_SERIES_A);
    let mut s = query::Session::new(&c);
    for (statement, said) in [
        (
            "ipo at $5.00 raising $50M",
            "a public offering is a Liquidity Event",
        ),
        (
            "issue 10 Seed at $1.00",
            "Seed SAFE is a SAFE, not a class of stock to issue shares of",
        ),
        (
            "convert Seed",
            "Seed SAFE is a SAFE: it converts at a sale or an equity financing",
        ),
    ] {
        let p = s.run("t", statement).unwrap_err();
        let text = charter::render::diagnostics::render(&p, false);
        assert!(text.contains(said), "{statement}: {text}");
    }
}

/// 9,000,000 common, 1,000,000 options at $0.10, and a note of $1M at 10%
/// simple, actual/365, from 2024-01-01, capped at $10M pre-money, repaid
/// 2x at a change of control or converted at the cap.
const BRIDGE: &str = r#"charter "Bridgeco, Inc." { filed 2024-01-01 jurisdiction Delaware }
stock Common { common outstanding 9_000_000 }
options "2024 Plan" 1_000_000 Common at $0.10
note Bridge "Bridge Note" § 3 {
  pre-money
  principal $1M
  interest 10% per annum, accruing daily actual/365, simple
  issued 2024-01-01
  maturity 2026-01-01
  valuation cap $10M
  change of control: 2x principal and interest, or conversion at the cap   § 5
}
liquidation {
  Bridge senior to Common
}
"#;

/// The payout of `exit` on 2025-01-01.
fn bridge_payout(exit: &str) -> charter::eval::Payout {
    let c = load("bridge.charter", BRIDGE);
    let mut s = query::Session::new(&c);
    s.run("t", "on 2025-01-01").unwrap();
    let query::Answer::Payout(p) = s.run("t", &format!("payout {exit}")).unwrap() else {
        panic!()
    };
    p
}

/// Principal and interest on 2025-01-01: 366 days (2024 is a leap year)
/// at 10% a year of 365 days: $1M × (1 + 0.1 × 366/365).
fn owed() -> Decimal {
    d("1000000") * (Decimal::ONE + d("0.1") * d("366") / d("365"))
}

#[test]
fn a_note_at_a_change_of_control_takes_the_greater_of_its_multiple_and_conversion() {
    // At $5M: 2 × $1,100,273.97… = $2,200,547.945… first; the $2,899,452.05…
    // left with the options' $100,000 is $0.2899452… a share: common
    // $2,609,506.849…, the options $189,945.205…. To the cent the three
    // floors leave 2 cents, which go to the largest fractions dropped
    // (common's .93 and the options' .55 of a cent, not the note's .52).
    let p = bridge_payout("$5M");
    assert_payouts(
        &p,
        &[("Bridge Note", "2200547.94"), ("Common", "2609506.85")],
    );
    assert_eq!(p.pools[0].payout, d("189945.21"));
    // At $50M it converts at the cap: $10M over the 10,000,000 before it
    // (pre-money) is $1.00 a share, so it owns A / (10,000,000 + A) of the
    // $50.1M; within a cent of that (the remainder rule moves a cent).
    let p = bridge_payout("$50M");
    let exact = owed() * d("50100000") / (d("10000000") + owed());
    let got = class(&p, "Bridge Note");
    assert!((got - exact).abs() < d("0.01"), "{got} against {exact}");
    assert!(p.classes[1].converted);
    assert_eq!(common::total(&p), d("50000000"));
}

#[test]
fn a_note_s_conversion_is_a_breakpoint_where_conversion_reaches_its_multiple() {
    // A / (10,000,000 + A) × (X + $100,000) = 2A: X = $19.9M + 2A.
    let c = load("bridge.charter", BRIDGE);
    let mut s = query::Session::new(&c);
    s.run("t", "on 2025-01-01").unwrap();
    let query::Answer::Breakpoints(b) = s.run("t", "breakpoints").unwrap() else {
        panic!()
    };
    let row = b
        .rows
        .iter()
        .find(|r| {
            r.causes
                .iter()
                .any(|k| k.what.contains("Bridge Note converts"))
        })
        .unwrap();
    let expected = d("19900000") + d("2") * owed();
    assert!(
        (row.exit - expected).abs() < d("0.000001"),
        "{} against {expected}",
        row.exit
    );
    assert!(
        row.causes[0]
            .what
            .contains("its conversion at the cap is more than its change-of-control amount")
    );
}

#[test]
fn a_note_states_what_it_is_paid_at_a_sale() {
    let p = problems(&BRIDGE.replace(
        "  change of control: 2x principal and interest, or conversion at the cap   § 5\n",
        "",
    ));
    assert!(p.contains("what is it paid at a sale?"), "{p}");
    let p = problems(&BRIDGE.replace("  valuation cap $10M\n", ""));
    assert!(p.contains("conversion at which cap?"), "{p}");
}

/// 8,000,000 common, a Series A to be sold (none outstanding yet), and a
/// SAFE of `terms` on par with it.
fn sprout(terms: &str) -> String {
    format!(
        r#"charter "Sprout, Inc." {{ filed 2024-01-01 jurisdiction Delaware }}
stock Common {{ common outstanding 8_000_000 }}
stock A "Series A" {{ preferred outstanding 0 original issue price $1.00 conversion price $1.00 }}
{terms}
liquidation {{
  A pari passu with Seed
  shortfall A, Seed: ratably by full preferential amount
  preference A: 1x original issue price
  A does not participate
}}
conversion {{
  A converts at the holder's option
}}
"#
    )
}

/// The payouts after the round `round`, at each of `exits`.
fn after_round(text: &str, round: &str, exits: &[&str]) -> Vec<charter::eval::Payout> {
    let c = load("sprout.charter", text);
    let mut s = query::Session::new(&c);
    s.run("round", round).unwrap();
    exits
        .iter()
        .map(|x| {
            let query::Answer::Payout(p) = s.run("t", &format!("payout {x}")).unwrap() else {
                panic!()
            };
            p
        })
        .collect()
}

const POST_MONEY: &str = "safe Seed \"Seed SAFE\" {\n  post-money\n  purchase amount $1M\n  valuation cap $10M\n  discount rate 80%\n}";

#[test]
fn a_priced_round_converts_a_post_money_safe_at_the_lower_price() {
    // Company Capitalization (post-money): 8,000,000 common and 1,000,000
    // unissued, over 1 − $1M/$10M = 10,000,000; Safe Price $10M ÷
    // 10,000,000 = $1.00; Discount Price $1.00 × 80% = $0.80, the lower:
    // $1M ÷ $0.80 = 1,250,000 shares of Safe Preferred, each with a $0.80
    // preference, on par with Series A.
    let p = after_round(
        &sprout(POST_MONEY),
        "issue 2_000_000 A at $1.00 on 2025-01-01 unissued pool 1_000_000",
        &["$100M", "$2M"],
    );
    // At $100M all convert: 8,000,000 + 2,000,000 + 1,250,000 = 11,250,000
    // shares at $8.888…: common $71,111,111.11, A $17,777,777.77… and the
    // Safe Preferred $11,111,111.11…; the cent left goes to A's .78.
    assert_payouts(
        &p[0],
        &[
            ("Common", "71111111.11"),
            ("Series A", "17777777.78"),
            ("Seed SAFE", "11111111.11"),
        ],
    );
    assert_eq!(p[0].classes[2].shares, d("1250000"));
    // At $2M, short of A's $2M and the Safe Preferred's $1M: 2/3 and 1/3.
    assert_payouts(
        &p[1],
        &[
            ("Series A", "1333333.33"),
            ("Seed SAFE", "666666.67"),
            ("Common", "0"),
        ],
    );
}

#[test]
fn a_round_above_the_cap_converts_at_the_safe_price() {
    // At $2.00 a share the Discount Price is $1.60 and the Safe Price $1.00:
    // $1M ÷ $1.00 = 1,000,000 shares.
    let p = after_round(
        &sprout(POST_MONEY),
        "issue 1_000_000 A at $2.00 on 2025-01-01 unissued pool 1_000_000",
        &["$100M"],
    );
    assert_eq!(p[0].classes[2].shares, d("1000000"));
}

#[test]
fn a_pre_money_safe_counts_the_pool_increase_and_not_the_safes() {
    // Pre-money: 8,000,000 common + 500,000 unissued + 1,500,000 increase =
    // 10,000,000; Safe Price $8M ÷ 10,000,000 = $0.80 (no discount): $1M ÷
    // $0.80 = 1,250,000 shares.
    let safe =
        "safe Seed \"Seed SAFE\" {\n  pre-money\n  purchase amount $1M\n  valuation cap $8M\n}";
    let p = after_round(
        &sprout(safe),
        "issue 2_000_000 A at $1.00 on 2025-01-01 unissued pool 500_000 pool increase 1_500_000",
        &["$100M"],
    );
    assert_eq!(p[0].classes[2].shares, d("1250000"));
}

#[test]
fn a_note_converts_its_principal_and_interest_in_a_round() {
    // On 2025-01-01 the note owes $1M × (1 + 0.1 × 366/365); pre-money
    // Company Capitalization 8,000,000 (no pool): Safe Price $10M ÷
    // 8,000,000 = $1.25, Discount Price $1.00 × 80% = $0.80, the round's
    // price $1.00: at $0.80 it converts into owed ÷ 0.80 shares.
    let note = "note Seed \"Seed Note\" {\n  pre-money\n  principal $1M\n  interest 10% per annum, accruing daily actual/365, simple\n  issued 2024-01-01\n  valuation cap $10M\n  discount rate 80%\n  change of control: 1x principal and interest\n}";
    let p = after_round(
        &sprout(note),
        "issue 2_000_000 A at $1.00 on 2025-01-01 unissued pool 0",
        &["$100M"],
    );
    assert_eq!(p[0].classes[2].shares, owed() / d("0.8"));
}

#[test]
fn a_round_with_capped_safes_states_its_unissued_pool() {
    let c = load("sprout.charter", &sprout(POST_MONEY));
    let mut s = query::Session::new(&c);
    let p = s
        .run("t", "issue 2_000_000 A at $1.00 on 2025-01-01")
        .unwrap_err();
    let text = charter::render::diagnostics::render(&p, false);
    assert!(text.contains("unissued pool N"), "{text}");
}

/// A SAFE's payout, by the forms' definitions in closed form, for a
/// company of `n` common shares and nothing else: the SAFE owns the
/// fraction `f` of the shares after it converts — P/K of the whole for a
/// post-money cap (the whole counts it), P/(K + P) for a pre-money one
/// (its P × n/K shares over n + P × n/K) — and takes the greater of its
/// Purchase Amount (all of the exit, if less) and that fraction of the
/// exit. Shares no code with the engine's waterfall.
fn closed_form(post_money: bool, purchase: Decimal, cap: Decimal, exit: Decimal) -> Decimal {
    let f = if post_money {
        purchase / cap
    } else {
        purchase / (cap + purchase)
    };
    purchase.min(exit).max(f * exit)
}

proptest::proptest! {
    #![proptest_config(common::generated::config(64))]

    /// Every payout of a one-SAFE company is the closed form's, within the
    /// cent the remainder rule moves, and the two parties sum to the exit.
    #[test]
    fn a_safe_pays_the_greater_of_its_amounts_by_the_closed_form(
        n in 1u64..50_000_000,
        purchase_k in 1u64..5_000,
        cap_factor in 2u64..40,
        exit_k in 1u64..500_000,
        post_money in proptest::bool::ANY,
    ) {
        let purchase = Decimal::from(purchase_k * 1_000);
        let cap = purchase * Decimal::from(cap_factor);
        let exit = Decimal::from(exit_k * 1_000);
        let form = if post_money { "post-money" } else { "pre-money" };
        let text = format!(
            "charter \"C\" {{ filed 2024-01-01 }}\nstock Common {{ common outstanding {n} }}\nsafe S {{ {form} purchase amount ${purchase} valuation cap ${cap} }}\nliquidation {{ S senior to Common }}\n"
        );
        let c = load("c.charter", &text);
        let p = payout(&c, &format!("payout ${exit}"));
        let expected = closed_form(post_money, purchase, cap, exit);
        let got = class(&p, "S");
        proptest::prop_assert!((got - expected).abs() <= d("0.01"), "{} against {}", got, expected);
        proptest::prop_assert_eq!(got + class(&p, "Common"), exit);
    }
}

#[test]
fn an_exit_multiple_multiplies_the_cash_out_amount() {
    // A Cash-Out Amount of 2 × $1M. At $5M it is $2M against a Conversion
    // Amount of 10% × $5.1M = $510,000; the $3M left with the options'
    // $100,000 is $0.31 a share: common $2,790,000, the options $310,000 −
    // $100,000 = $210,000. It converts where 10% × (X + $100,000) reaches
    // $2M: $19.9M.
    let c = load(
        "seedling.charter",
        &seedling("  post-money\n  purchase amount $1M\n  valuation cap $10M\n  exit multiple 2x"),
    );
    let p = payout(&c, "payout $5M");
    assert_payouts(&p, &[("Seed SAFE", "2000000.00"), ("Common", "2790000.00")]);
    assert_eq!(options(&p), d("210000.00"));
    let b = common::breakpoints(&c, "breakpoints");
    assert!(b.rows.iter().any(|r| {
        r.exit == d("19900000")
            && r.causes
                .iter()
                .any(|k| k.what.contains("Seed SAFE converts"))
    }));
}

#[test]
fn safes_and_notes_export_as_convertible_issuances_and_come_back() {
    let voting = "voting {\n  Common: 1 vote per share\n  A: 1 vote per share as converted\n}\n";
    let cases = [
        ("sprout.charter", format!("{WITH_SERIES_A}{voting}")),
        (
            "bridge.charter",
            format!("{BRIDGE}voting {{\n  Common: 1 vote per share\n}}\n"),
        ),
    ];
    for (name, text) in cases {
        let ours = load(name, &text);
        let exported =
            charter::interchange::ocf::export::export(&ours, &[], None, "2026-01-01T00:00:00Z")
                .unwrap();
        let manifest = std::path::PathBuf::from(common::written("Manifest.ocf.json", ""));
        let dir = manifest.parent().unwrap();
        for (file, body) in &exported.files {
            let doc: serde_json::Value = serde_json::from_str(body).unwrap();
            assert_eq!(
                crate::ocf::schema_errors(&doc),
                Vec::<String>::new(),
                "{name}: {file}"
            );
            std::fs::write(dir.join(file), body).unwrap();
        }
        let tx = &exported
            .files
            .iter()
            .find(|f| f.0 == "Transactions.ocf.json")
            .unwrap()
            .1;
        assert!(tx.contains("TX_CONVERTIBLE_ISSUANCE"), "{tx}");
        // With the charter's own text carried: nothing to fill, the same
        // payouts.
        let back = charter::interchange::ocf::import(&manifest, "back.charter")
            .unwrap_or_else(|p| panic!("{}", charter::render::diagnostics::render(&p, false)));
        assert_eq!(back.gaps, 0, "{}", back.text);
        let theirs = load("back.charter", &back.text);
        for exit in ["$1M", "$5M", "$50M", "$100M"] {
            let (a, b) = (
                payout(&ours, &format!("payout {exit}")),
                payout(&theirs, &format!("payout {exit}")),
            );
            for c in &a.classes {
                assert_eq!(c.payout, class(&b, &c.name), "{name}: {} at {exit}", c.name);
            }
        }
        // As another tool would read it: the instrument's own block, its
        // rank a gap.
        for (file, body) in &exported.files {
            std::fs::write(dir.join(file), common::without_carried(body)).unwrap();
        }
        let plain = charter::interchange::ocf::import(&manifest, "plain.charter").unwrap();
        assert!(
            plain.text.contains("where it ranks against the preferred"),
            "{}",
            plain.text
        );
    }
}
