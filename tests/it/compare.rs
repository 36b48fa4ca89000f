//! Comparing two charters: a 1x non-participating Series A against a 1x
//! participating one, worked by hand; the rows fall on both charters'
//! breakpoints; the largest gain and loss and the one clause that differs;
//! and the command line's three formats.

use crate::common;

use charter::analysis::compare::{Comparison, compare};
use charter::ir::Charter;
use charter::syntax::ast::Spanned;
use common::{d, load};
use rust_decimal::Decimal;

/// Series A, 1,000,000 shares bought at $5.00 beside 9,000,000 common:
/// a 1x preference, convertible one for one; does not participate.
const NON_PARTICIPATING: &str = r#"
charter "Acme, Inc." { filed 2020-01-01 }
stock Common { common outstanding 9_000_000 }
stock A "Series A" { preferred outstanding 1_000_000 original issue price $5.00 conversion price $5.00 }
liquidation § 2 {
  preference A: 1x original issue price   § 2(a)
  A does not participate                 § 2(b)
}
conversion § 4 {
  A converts at the holder's option      § 4(a)
}
"#;

/// The same with A participating after its preference.
fn participating() -> String {
    NON_PARTICIPATING.replace(
        "A does not participate                 § 2(b)",
        "A participates                         § 2(b)",
    )
}

fn amount(x: Decimal) -> Spanned<Decimal> {
    Spanned {
        node: x,
        span: Default::default(),
    }
}

fn run(a: &Charter, b: &Charter, from: &str, to: &str) -> Comparison {
    let (f, t) = (amount(d(from)), amount(d(to)));
    compare(
        ("np", a),
        ("p", b),
        Some((&f, &t)),
        None,
        false,
        Default::default(),
    )
    .unwrap()
}

/// Under A and under B at `exit`, for class `name`.
fn at(c: &Comparison, exit: &str, name: &str) -> (Decimal, Decimal, Decimal) {
    let i = c.classes.iter().position(|x| x.0 == name).unwrap();
    let r = c.rows.iter().find(|r| r.exit == d(exit)).unwrap();
    let (a, b) = r.amounts[i];
    (a.unwrap(), b.unwrap(), r.difference(i))
}

#[test]
fn non_participating_against_participating_at_three_exits() {
    let a = load("np.charter", NON_PARTICIPATING);
    let b = load("p.charter", &participating());
    // $3M: short of A's $5M preference, all of it goes to A under both.
    let c = run(&a, &b, "3000000", "20000000");
    assert_eq!(
        at(&c, "3000000", "Series A"),
        (d("3000000"), d("3000000"), d("0"))
    );
    assert_eq!(at(&c, "3000000", "Common"), (d("0"), d("0"), d("0")));
    // $20M: non-participating A keeps its $5M preference (converted it
    // would have 10% = $2M); common $15M. Participating A has $5M + 10% of
    // the $15M left = $6.5M; common $13.5M. B pays A $1.5M more.
    assert_eq!(
        at(&c, "20000000", "Series A"),
        (d("5000000"), d("6500000"), d("1500000"))
    );
    assert_eq!(
        at(&c, "20000000", "Common"),
        (d("15000000"), d("13500000"), d("-1500000"))
    );
    // $80M: non-participating A converts (10% = $8M beats $5M; it does from
    // $50M); participating A has $5M + 10% × $75M = $12.5M. Common $72M and
    // $67.5M. The difference is $4.5M from $50M up.
    let c = run(&a, &b, "0", "80000000");
    assert_eq!(
        at(&c, "80000000", "Series A"),
        (d("8000000"), d("12500000"), d("4500000"))
    );
    assert_eq!(
        at(&c, "80000000", "Common"),
        (d("72000000"), d("67500000"), d("-4500000"))
    );
}

#[test]
fn rows_fall_on_both_charters_breakpoints_and_the_extremes_span_a_range() {
    let a = load("np.charter", NON_PARTICIPATING);
    let b = load("p.charter", &participating());
    let c = run(&a, &b, "0", "100000000");
    // Both: $5M (A's preference paid); A's only: $50M (A converts).
    let exits: Vec<Decimal> = c.rows.iter().map(|r| r.exit).collect();
    assert_eq!(
        exits,
        vec![d("0"), d("5000000"), d("50000000"), d("100000000")]
    );
    let i = c.classes.iter().position(|x| x.0 == "Series A").unwrap();
    assert_eq!(
        c.extremes[i].gain,
        Some((d("4500000"), d("50000000"), d("100000000")))
    );
    assert_eq!(c.extremes[i].loss, None);
    let j = c.classes.iter().position(|x| x.0 == "Common").unwrap();
    assert_eq!(
        c.extremes[j].loss,
        Some((d("-4500000"), d("50000000"), d("100000000")))
    );
    // One clause differs, § 2(b), paired by its section.
    assert_eq!(c.clauses.len(), 1);
    assert_eq!(c.clauses[0].section, "§ 2(b)");
    assert_eq!(
        c.clauses[0].a.as_deref(),
        Some("A does not participate § 2(b)")
    );
    assert_eq!(c.clauses[0].b.as_deref(), Some("A participates § 2(b)"));
}

#[test]
fn a_class_in_one_charter_only_is_shown_as_such() {
    let a = load("np.charter", NON_PARTICIPATING);
    let with_b = NON_PARTICIPATING.replace(
        "liquidation § 2 {",
        "stock B \"Series B\" { preferred outstanding 500_000 original issue price $10.00 conversion price $10.00 }\nliquidation § 2 {\n  B senior to A   § 2(c)\n  preference B: 1x original issue price   § 2(c)\n  B does not participate   § 2(c)",
    )
    .replace("A converts at the holder's option      § 4(a)", "A, B convert at the holder's option   § 4(a)");
    let b = load("b.charter", &with_b);
    let c = run(&a, &b, "0", "10000000");
    assert!(c.classes.contains(&("Series B".to_string(), false, true)));
    // $10M: under B, Series B's senior $5M comes first, then A's $5M, and
    // common has nothing; without Series B, A has its $5M and common $5M.
    assert_eq!(
        at(&c, "10000000", "Common"),
        (d("5000000"), d("0"), d("-5000000"))
    );
    let i = c.classes.iter().position(|x| x.0 == "Series B").unwrap();
    let r = c.rows.iter().find(|r| r.exit == d("10000000")).unwrap();
    assert_eq!(r.amounts[i], (None, Some(d("5000000"))));
}

#[test]
fn the_command_line_prints_table_json_and_csv() {
    let np = common::written("np.charter", NON_PARTICIPATING);
    let dir = std::path::Path::new(&np).parent().unwrap().to_path_buf();
    std::fs::write(dir.join("p.charter"), participating()).unwrap();
    let bin = env!("CARGO_BIN_EXE_charter");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(bin)
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let table = run(&["compare", "np.charter", "p.charter", "0", "$100M"]);
    assert!(
        table.contains("+$4,500,000.00 from $50,000,000.00 to $100,000,000.00"),
        "{table}"
    );
    assert!(table.contains("`A participates § 2(b)`"), "{table}");
    let csv = run(&[
        "compare",
        "np.charter",
        "p.charter",
        "0",
        "$100M",
        "--format",
        "csv",
    ]);
    assert!(
        csv.starts_with("exit,party,np.charter,p.charter,difference\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\n50000000.00,Series A,5000000.00,9500000.00,4500000.00\n"),
        "{csv}"
    );
    let json: serde_json::Value = serde_json::from_str(&run(&[
        "compare",
        "np.charter",
        "p.charter",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(json["statement"], "compare");
    assert_eq!(json["clauses"][0]["section"], "§ 2(b)");
    // The default range runs past the last breakpoint ($50M): to $70M.
    assert_eq!(json["to"], "70000000.00");
}

/// The two charters with a pool of 1,000,000 options at $1.00 and the
/// common held by two founders.
fn with_pool_and_holders(text: &str) -> String {
    format!(
        "{text}options \"Plan\" 1_000_000 Common at $1.00\nholders {{\n  \"Ada\" 5_000_000 Common\n  \"Ben\" 4_000_000 Common\n}}\n"
    )
}

/// Every dollar of the exit is in the comparison: pools are parties, and so
/// are named holders with `--holders`. At $100M, worked by hand:
/// - non-participating A converts: each common-equivalent share takes p with
///   10M p + 1M (p − $1) = $100M, p = $101M / 11M = $9.181818…: A
///   $9,181,818.18, Common $82,636,363.64 (the leftover cent goes to the
///   largest fraction dropped, .636 of a cent), Plan $8,181,818.18;
/// - participating A takes $5M, then 11M p − $1M = $95M, p = $96M / 11M =
///   $8.727272…: A $5M + $8,727,272.73 = $13,727,272.73, Plan
///   $7,727,272.73 (the two leftover cents to A and Plan, .727 each),
///   Common $78,545,454.54.
///
/// So the Plan loses $454,545.45, Common $4,090,909.10, A gains
/// $4,545,454.55: the differences net to zero.
#[test]
fn pools_and_holders_are_compared_and_the_differences_net_to_zero() {
    let a = load("np.charter", &with_pool_and_holders(NON_PARTICIPATING));
    let b = load("p.charter", &with_pool_and_holders(&participating()));
    let c = run(&a, &b, "0", "100000000");
    assert_eq!(
        at(&c, "100000000", "Plan (options)"),
        (d("8181818.18"), d("7727272.73"), d("-454545.45"))
    );
    assert_eq!(
        at(&c, "100000000", "Common"),
        (d("82636363.64"), d("78545454.54"), d("-4090909.10"))
    );
    assert_eq!(
        at(&c, "100000000", "Series A"),
        (d("9181818.18"), d("13727272.73"), d("4545454.55"))
    );
    let (f, t) = (amount(d("0")), amount(d("100000000")));
    let by_holder = compare(
        ("np", &a),
        ("p", &b),
        Some((&f, &t)),
        None,
        true,
        Default::default(),
    )
    .unwrap();
    let names: Vec<&str> = by_holder.classes.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(names, ["Ada", "Ben", "Series A", "Plan (options)"]);
    for cmp in [&c, &by_holder] {
        for r in &cmp.rows {
            let (mut a_total, mut b_total, mut net) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
            for i in 0..cmp.classes.len() {
                let (x, y) = r.amounts[i];
                a_total += x.unwrap();
                b_total += y.unwrap();
                net += r.difference(i);
            }
            assert_eq!(
                (a_total, b_total, net),
                (r.exit, r.exit, Decimal::ZERO),
                "at {}",
                r.exit
            );
        }
    }
    // Ada and Ben hold 5/9 and 4/9 of Common: $4,090,909.10 lost between them.
    let ada = at(&by_holder, "100000000", "Ada").2;
    let ben = at(&by_holder, "100000000", "Ben").2;
    assert_eq!(ada + ben, d("-4090909.10"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(32)
    ))]

    /// On generated charters (up to three ranks, every kind of
    /// participation, a pool, a founder holding part of common in a group),
    /// at every row of a comparison by class or by holder, each charter's
    /// payouts add up to the exit and the differences net to zero.
    #[test]
    fn every_dollar_of_every_exit_is_compared(
        common in 1u32..20_000_000,
        a in proptest::collection::vec(common::generated::series(), 1..5),
        b in proptest::collection::vec(common::generated::series(), 1..5),
        options in proptest::option::of((1u32..2_000_000, 1u32..1_000)),
        founder_percent in 1u32..100,
        by_holder in proptest::bool::ANY,
    ) {
        let founder = (u64::from(common) * u64::from(founder_percent) / 100).max(1);
        let people = format!("holders {{ \"Ada\" {founder} Common }}\ngroup \"Founders\": \"Ada\"\n");
        let ca = load("a.charter", &format!("{}{people}", common::generated::text(common, &a, options)));
        let cb = load("b.charter", &format!("{}{people}", common::generated::text(common, &b, None)));
        let c = compare(("a", &ca), ("b", &cb), None, None, by_holder, Default::default()).unwrap();
        for r in &c.rows {
            let a_total: Decimal = r.amounts.iter().map(|x| x.0.unwrap_or_default()).sum();
            let b_total: Decimal = r.amounts.iter().map(|x| x.1.unwrap_or_default()).sum();
            let net: Decimal = (0..c.classes.len()).map(|i| r.difference(i)).sum();
            proptest::prop_assert_eq!((a_total, b_total, net), (r.exit, r.exit, Decimal::ZERO));
        }
    }
}
