//! Goal seek (`solve exit where X receives ...`): exits worked by hand from
//! the charter text, "never" for a capped class that cannot convert, and a
//! round-trip property on generated charters — the payout at the solved exit
//! gives the party at least the target, and one cent less its entitlement is
//! below it.

use crate::common;

use charter::analysis::party::Party;
use charter::analysis::solve::{Outcome, Solved};
use charter::eval::curve;
use charter::ir::Charter;
use charter::query::{self, Answer};
use charter::syntax::ast::Spanned;
use common::generated::{series, text};
use common::{class, d, load, load_file, payout};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn solve(c: &Charter, statement: &str) -> Solved {
    match query::run(c, "query", statement) {
        Ok(Answer::Solve(s)) => s,
        Ok(other) => panic!("not a goal seek: {other:?}"),
        Err(p) => panic!("{}", charter::render::diagnostics::render(&p, false)),
    }
}

fn exit_of(s: &Solved) -> Decimal {
    match &s.outcome {
        Outcome::At { exit, .. } => *exit,
        Outcome::Never { reason, .. } => panic!("never reached: {reason}"),
    }
}

// Avesta's liquidation (§ A.1), worked from the stock blocks:
//   D: 1,827,667 × $6.24 = $11,404,642.08, senior to all (§ A.1(a));
//   C: 3,096,335 × $4.06 = $12,571,120.10, next (§ A.1(b));
//   A: 1,767,243 × $2.2917 = $4,049,990.7831 and B: 2,138,752 × $4.34 =
//      $9,282,183.68, on parity (§ A.1(c));
//   preferences in all: $37,307,936.6431.
// The rest is shared as converted (§ A.1(d)): Common 8,000,000; A at
// $2.2917 / $1.14585 = 2 → 3,534,486; B at $4.34 / $2.17 = 2 → 4,277,504;
// C 3,096,335; D 1,827,667; in all 20,735,992.

#[test]
fn avesta_series_d_takes_every_dollar_up_to_its_preference() {
    // $10M < D's $11,404,642.08, senior to everyone: the exit is $10M.
    let c = load_file("avesta.charter");
    let s = solve(&c, "solve exit where D receives $10M");
    assert_eq!(exit_of(&s), d("10000000.00"));
    match s.outcome {
        Outcome::At {
            receives, before, ..
        } => {
            assert_eq!(receives, d("10000000.00"));
            assert_eq!(before, d("9999999.99"));
        }
        Outcome::Never { reason, .. } => panic!("never reached: {reason}"),
    }
}

#[test]
fn avesta_common_clears_ten_million() {
    // Common takes 8,000,000 / 20,735,992 of each dollar past the
    // preferences; $10M needs $10M × 20,735,992 / 8,000,000 = $25,919,990 of
    // residual: the exit is $37,307,936.6431 + $25,919,990 = $63,227,926.6431,
    // so the least whole-cent exit is $63,227,926.65.
    let c = load_file("avesta.charter");
    let s = solve(&c, "solve exit where Common receives $10M");
    assert_eq!(exit_of(&s), d("63227926.65"));
    assert_eq!(
        class(&payout(&c, "payout $63227926.65"), "Common"),
        d("10000000.00")
    );
    // One cent less: $25,919,989.9969 of residual, × 8/20.735992 below $10M.
    assert!(class(&payout(&c, "payout $63227926.64"), "Common") <= d("10000000.00"));
}

#[test]
fn avesta_series_a_per_share_and_a_holder_multiple() {
    let c = load_file("avesta.charter");
    // $2.50 a share on 1,767,243 shares = $4,418,107.50; A's preference pays
    // $4,049,990.7831, so A needs $368,116.7169 of residual, at 3,534,486 /
    // 20,735,992 of each dollar: $368,116.7169 × 20,735,992 / 3,534,486 =
    // $2,159,653.5668; the exit is $39,467,590.2099 → $39,467,590.21.
    let s = solve(&c, "solve exit where Series A receives $2.50 per share");
    assert_eq!(s.target, d("4418107.50"));
    assert_eq!(exit_of(&s), d("39467590.21"));

    // Pilgrim Baxter holds 1,000,000 of C's 3,096,335 shares, bought at
    // $4.06: 2x its investment is $8,120,000. Its share of C's preference is
    // $4,060,000; the other $4,060,000 comes at 1,000,000 / 20,735,992 of
    // each residual dollar: $84,188,127.52 of residual, so the exit is
    // $37,307,936.6431 + $84,188,127.52 = $121,496,064.1631 → $121,496,064.17.
    let s = solve(
        &c,
        "solve exit where \"Pilgrim Baxter Hybrid Partners I, L.P.\" receives 2x its investment",
    );
    assert_eq!(s.target, d("8120000"));
    assert_eq!(exit_of(&s), d("121496064.17"));
}

/// A class capped at 2x in total that cannot convert never receives $3M.
const CAPPED: &str = r#"
charter "Capped, Inc." { filed 2020-01-01 }
stock Common { common outstanding 1_000_000 }
stock A "Series A" { preferred outstanding 1_000_000 original issue price $1.00 conversion ratio 1 }
liquidation {
  preference A: 1x original issue price
  A participates until 2x original issue price in total
}
conversion {
  A does not convert
}
"#;

#[test]
fn a_capped_class_that_cannot_convert_never_clears_its_cap() {
    // A: $1M of preference, then half of each dollar (1,000,000 of 2,000,000
    // shares) until it has $2M in all, at an exit of $1M + $2M = $3M; past it
    // common takes every dollar.
    let c = load("capped.charter", CAPPED);
    let s = solve(&c, "solve exit where A receives $3M");
    match &s.outcome {
        Outcome::Never {
            most, at, reason, ..
        } => {
            assert_eq!(*most, d("2000000"));
            assert_eq!(*at, d("3000000"));
            assert!(reason.contains("past $3,000,000.00"), "{reason}");
        }
        Outcome::At { exit, .. } => panic!("reached at {exit}"),
    }
    // Just at the cap it is reached: $1.5M of A's $2M at $1M + $1M = $2M.
    assert_eq!(
        exit_of(&solve(&c, "solve exit where A receives $1.5M")),
        d("2000000.00")
    );
}

#[test]
fn a_pool_has_no_investment_and_an_unknown_party_is_named() {
    let c = load_file("model_series_a.charter");
    let err = query::run(
        &c,
        "q",
        "solve exit where \"2024 Equity Incentive Plan\" receives 2x its investment",
    )
    .unwrap_err();
    let text = charter::render::diagnostics::render(&err, false);
    assert!(text.contains("has no investment"), "{text}");
    let err = query::run(&c, "q", "solve exit where Series Z receives $1M").unwrap_err();
    let text = charter::render::diagnostics::render(&err, false);
    assert!(
        text.contains("not a class, named holder, pool or group"),
        "{text}"
    );
}

/// The party's exact entitlement at `x`, read off the curve.
fn entitled(c: &Charter, party: &str, x: Decimal) -> Decimal {
    let who = Party::find(
        c,
        &Spanned {
            node: party.to_string(),
            span: Default::default(),
        },
    )
    .unwrap();
    let walked = curve::walk(c, &c.liquidation, None, curve::Detail::Pieces).unwrap();
    who.exact(c, &walked, walked.regime_at(x), x).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(32)
    ))]

    #[test]
    fn the_solved_exit_round_trips(
        common in 1u32..20_000_000,
        list in prop::collection::vec(series(), 1..5),
        options in prop::option::of((1u32..2_000_000, 1u32..1_000)),
        target_cents in 1u64..5_000_000_000,
        who in 0usize..3,
    ) {
        let src = text(common, &list, options);
        let c = load("generated.charter", &src);
        let party = match who {
            0 => "Common".to_string(),
            1 => "S0".to_string(),
            _ => format!("S{}", list.len() - 1),
        };
        let target = Decimal::new(i64::try_from(target_cents).unwrap(), 2);
        let s = solve(&c, &format!("solve exit where {party} receives ${target}"));
        let name = c.classes[c.find_class(&Spanned { node: party.clone(), span: Default::default() }).unwrap()].name.clone();
        match s.outcome {
            Outcome::At { exit, receives, .. } => {
                let p = payout(&c, &format!("payout ${exit}"));
                let got = class(&p, &name);
                prop_assert!(got >= target, "{} at {}", got, exit);
                prop_assert_eq!(class(&p, &name), receives);
                if exit > Decimal::ZERO {
                    let less = exit - Decimal::new(1, 2);
                    prop_assert!(entitled(&c, &party, less) < target);
                    // The remainder rule may give it the last cent, no more.
                    let at_less = class(&payout(&c, &format!("payout ${less}")), &name);
                    prop_assert!(at_less <= target);
                }
            }
            Outcome::Never { most, .. } => {
                prop_assert!(most < target);
                let far = payout(&c, "payout $1000000000000");
                prop_assert!(class(&far, &name) < target);
            }
        }
    }
}

#[test]
fn under_scenario_events_from_the_command_line() {
    // A 2:1 split doubles every share count and halves every price, so the
    // preferences and each class's share of the residual are unchanged:
    // Common still clears $10M at $63,227,926.65 (as worked above).
    let bin = env!("CARGO_BIN_EXE_charter");
    let out = std::process::Command::new(bin)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "solve",
            "charters/avesta.charter",
            "Common receives $10M",
            "--after",
            "split 2:1",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["exit"], "63227926.65");
    assert_eq!(v["reached"], true);
    // Under the merger, Avesta's classes participate only up to 3x in total
    // (§ A.1(e)); as a statement after the split, the answer is the same as
    // without it.
    let c = load_file("avesta.charter");
    let plain = exit_of(&solve(
        &c,
        "solve exit where Common receives $10M as merger",
    ));
    let mut s = query::Session::new(&c);
    s.run("q", "split 2:1").unwrap();
    let after = match s
        .run("q", "solve exit where Common receives $10M as merger")
        .unwrap()
    {
        Answer::Solve(x) => exit_of(&x),
        other => panic!("{other:?}"),
    };
    assert_eq!(plain, after);
}

#[test]
fn a_target_past_the_largest_exit_is_refused() {
    // D takes 1,827,667 / 20,735,992 of each residual dollar: $10^16 − 1
    // needs an exit near $1.13 × 10^17, past the $10^16 computed exactly.
    let c = load_file("avesta.charter");
    let err = query::run(&c, "q", "solve exit where D receives $9999999999999999").unwrap_err();
    let text = charter::render::diagnostics::render(&err, false);
    assert!(
        text.contains("reached only past the largest exit computed"),
        "{text}"
    );
}
