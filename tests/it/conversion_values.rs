//! Conversion prices, conversions and automatic conversion, worked out by
//! hand from the charter text (arithmetic in the comments, checked with exact
//! fractions); none is copied from the program.

use crate::common;

use charter::query::{Answer, Session};
use common::{d, load, load_file};
use rust_decimal::Decimal;

fn run(s: &mut Session, statement: &str) -> Answer {
    match s.run("test", statement) {
        Ok(a) => a,
        Err(p) => panic!("{}", charter::render::diagnostics::render(&p, false)),
    }
}

fn price(s: &Session, ident: &str) -> Decimal {
    let id = s
        .scenario
        .charter
        .classes
        .iter()
        .position(|c| c.ident == ident)
        .unwrap();
    s.scenario.prices[id].unwrap()
}

fn ratio(s: &Session, ident: &str) -> Decimal {
    s.scenario
        .charter
        .classes
        .iter()
        .find(|c| c.ident == ident)
        .unwrap()
        .ratio
        .unwrap()
}

// The source charters' conversion prices and conversions are tested by the
// `expect` blocks in `charters/*.charter`; these tests keep what the charter
// language cannot state: the common stock outstanding after a conversion.

#[test]
fn converted_preferred_becomes_common_outstanding() {
    // Avesta § A.2(b)(ii): with two-thirds of each series, everything
    // converts: 8,000,000 + 2 × 1,767,243 + 2 × 2,138,752 + 3,096,335 +
    // 1,827,667 = 20,735,992 common.
    let mut s = Session::new(&load_file("avesta.charter"));
    run(
        &mut s,
        "approve conversion with A 70%, B 67%, C 100%, D 66.67%",
    );
    assert_eq!(s.scenario.charter.classes[0].outstanding, d("20735992"));
    // Quintus § 3(a): A alone elects A-D's conversion; common 15,000,000 +
    // 14,555,000 = 29,555,000, and a 10% stock dividend makes it 32,510,500.
    let mut s = Session::new(&load_file("quintus.charter"));
    run(&mut s, "approve conversion with A 100%");
    assert_eq!(s.scenario.charter.classes[0].outstanding, d("29555000"));
    run(&mut s, "stock dividend 10%");
    assert_eq!(s.scenario.charter.classes[0].outstanding, d("32510500"));
}

#[test]
fn narrow_based_counts_common_only_and_splits_restore() {
    let c = load(
        "narrow.charter",
        "charter \"Narrow, Inc.\" { filed 2020-01-01 }\n\
         stock Common { common outstanding 1_000_000 }\n\
         stock A \"Series A\" { preferred outstanding 1_000_000 original issue price $2.00 conversion price $2.00 }\n\
         liquidation { preference A: 1x original issue price  A does not participate }\n\
         conversion { A convert at the holder's option }\n\
         anti-dilution A { weighted average counting common  splits and combinations adjust proportionally }\n",
    );
    let mut s = Session::new(&c);
    // Narrow-based: $2.00 × (1,000,000 + 1,000,000 / 2) / (1,000,000 + 1,000,000) = $1.50.
    run(&mut s, "issue 1_000_000 Common at $1.00");
    assert_eq!(price(&s, "A"), d("1.5"));
    // A 3:1 split divides the price by 3 and a 1:3 combination multiplies it back.
    run(&mut s, "split 3:1");
    assert_eq!(price(&s, "A"), d("0.5"));
    assert_eq!(s.scenario.charter.classes[0].outstanding, d("6000000"));
    run(&mut s, "combine 1:3");
    assert_eq!(price(&s, "A"), d("1.5"));
    assert_eq!(ratio(&s, "A"), d("2") / d("1.5"));
}

/// `excluded qualified-ipo` reaches only an offering that meets an automatic
/// conversion's test; `excluded ipo` every offering. A converts
/// automatically at ≥ 3x its $1.00 conversion price; B ($4.00) does not
/// convert automatically. 1,000,000 common + A 1,000,000 + B 1,000,000 as
/// converted = 3,000,000 before.
/// - At $3.00 raising $3M (1,000,000 shares) the offering qualifies ($3.00 ≥
///   $3.00): A converts, and B's block excludes the shares: B stays $4.00.
/// - At $2.00 raising $2M (1,000,000 shares) it does not: B's price moves
///   to $4.00 × (3,000,000 + 2,000,000 / 4) / 4,000,000 = 14,000,000 /
///   4,000,000 = $3.50 exactly.
#[test]
fn only_a_qualified_offering_is_excluded() {
    let text = "charter \"Q, Inc.\" { filed 2020-01-01 }\n\
        stock Common { common outstanding 1_000_000 }\n\
        stock A { preferred outstanding 1_000_000 original issue price $1 conversion price $1 }\n\
        stock B { preferred outstanding 1_000_000 original issue price $4 conversion price $4 }\n\
        liquidation { A pari passu with B  preference A, B: 1x original issue price\n\
          shortfall A, B: ratably by shares  A, B do not participate }\n\
        conversion { A, B convert at the holder's option\n\
          A converts automatically on ipo: price >= 3x conversion price }\n\
        anti-dilution B { weighted average counting common, preferred as converted\n\
          excluded qualified-ipo }\n";
    let c = load("q.charter", text);
    let mut s = Session::new(&c);
    run(&mut s, "ipo at $3.00 raising 3M");
    assert_eq!(price(&s, "B"), d("4"));
    let mut s = Session::new(&c);
    run(&mut s, "ipo at $2.00 raising 2M");
    assert_eq!(price(&s, "B"), d("3.5"));
    // With `excluded ipo`, neither offering moves B.
    let every = load(
        "e.charter",
        &text.replace("excluded qualified-ipo", "excluded ipo"),
    );
    let mut s = Session::new(&every);
    run(&mut s, "ipo at $2.00 raising 2M");
    assert_eq!(price(&s, "B"), d("4"));
}

/// Avesta § A.5(a): declared and unpaid dividends are paid on conversion.
/// With $0.10 a share declared and unpaid on Series D, converting D pays
/// FTV's 500,000 shares 500,000 × $0.10 = $50,000.00, FTV (Q)'s 200,000
/// $20,000.00 and the other 1,127,667 $112,766.70: $182,766.70 in all
/// (1,827,667 × $0.10).
#[test]
fn avesta_pays_declared_dividends_on_conversion() {
    let path = format!("{}/charters/avesta.charter", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let declared = text.replacen(
        "  conversion price $6.24                § A.2(a)\n",
        "  conversion price $6.24                § A.2(a)\n  declared unpaid dividends $0.10 per share\n",
        1,
    );
    assert_ne!(declared, text);
    let c = load("avesta (declared).charter", &declared);
    let mut s = Session::new(&c);
    let Answer::Convert(outcome) = run(&mut s, "convert D") else {
        panic!("not a conversion");
    };
    let cash: Vec<Decimal> = outcome
        .holders
        .iter()
        .map(|h| h.cash_on_conversion)
        .collect();
    assert_eq!(cash, [d("50000.00"), d("20000.00"), d("112766.70")]);
    let total: Decimal = cash.iter().sum();
    assert_eq!(total, d("182766.70"));
}

/// One figure everywhere: the accrued dividends SCC pays on converting
/// Series C (§ 1(a)) are the class's amount and, to the cent, the sum of
/// each holder's part (each holder's part was shown as nothing, issue 31).
#[test]
fn dividends_on_conversion_are_each_holders_too() {
    let o = crate::common::charter(&[
        "query",
        "charters/scc.charter",
        "on 2004-06-30",
        "convert C",
        "--json",
    ]);
    let out = crate::common::stdout(&o);
    let v: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    let v = &v["series"][0];
    let class: rust_decimal::Decimal = v["dividends_on_conversion"]["amount"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(class > rust_decimal::Decimal::ZERO, "{v}");
    let holders: rust_decimal::Decimal = v["holders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            h["dividends_on_conversion"]
                .as_str()
                .unwrap()
                .parse::<rust_decimal::Decimal>()
                .unwrap()
        })
        .sum();
    assert_eq!(holders, class);
}
