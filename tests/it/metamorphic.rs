//! Metamorphic properties of payouts on generated charters: rewritings of a
//! charter that must leave its payouts alone (renaming the classes, writing
//! the stock blocks in another order, adding a class with no shares,
//! writing `pari passu` the other way round, a split or combination of the
//! common) or change them in a known way (every price and the exit times k:
//! every payout times k). Each case reads the payouts at a few breakpoints
//! of the charter (and a cent either side) and at random exits up to $600M,
//! and compares both the exact amounts (read off the exit curve) and the
//! cents the payout shows. Runs 24 cases a property by default; set
//! `PROPTEST_CASES` for more.
//!
//! No regression file is written (this file is the only one the tests own):
//! a failure's minimal case is kept as an explicit test below instead.

use crate::common;

use charter::eval::breakpoints::exact_at;
use charter::eval::curve::{self, Curve};
use charter::ir::Charter;
use charter::query::{Answer, Session};
use common::generated::{Series, config, series, text};
use proptest::prelude::*;
use proptest::sample::Index;
use rust_decimal::Decimal;

/// One class's or pool's payout at an exit: its name as the payout shows
/// it, the cents it is paid, and the exact amount before rounding.
#[derive(Debug, Clone, PartialEq)]
struct Party {
    name: String,
    cents: Decimal,
    exact: Decimal,
}

/// How far two exact amounts that are equal in exact arithmetic may be
/// apart: division leaves noise in the last of a decimal's 28 digits, some
/// 10^-18 of a dollar at these exits; a millionth of a cent is far above
/// that and far below anything the rounding could hide.
fn noise() -> Decimal {
    Decimal::new(1, 8)
}

fn cent() -> Decimal {
    Decimal::new(1, 2)
}

/// Every way the payouts `after` differ from `k` times `before`, for pairs
/// of parties the caller has matched (an empty list when none does):
/// - the exact amounts agree to within [`noise`];
/// - each payout in cents is less than a cent from `k` times the exact
///   amount before: the remainder rule rounds every part down and gives a
///   cent to some, so it never moves a payout a whole cent from its exact
///   amount, whatever the transformation does to the fractions of a cent;
/// - with `same_cents`, the cents are exactly `k` times the cents before:
///   for a transformation that leaves the rounding's inputs (the exact
///   amounts and the order the remainder rule breaks ties in) as they were.
fn differences(pairs: &[(&Party, &Party)], k: Decimal, same_cents: bool) -> Vec<String> {
    let mut out = Vec::new();
    for (a, b) in pairs {
        let want = a.exact * k;
        if (b.exact - want).abs() > noise() {
            out.push(format!(
                "{} → {}: exact {} but {} × {} = {}",
                a.name, b.name, b.exact, k, a.exact, want
            ));
        }
        if (b.cents - want).abs() >= cent() {
            out.push(format!(
                "{} → {}: paid {}, a cent or more from the exact {} × {} = {}",
                a.name, b.name, b.cents, k, a.exact, want
            ));
        }
        if same_cents && b.cents != a.cents * k {
            out.push(format!(
                "{} → {}: paid {} but {} × {} = {}",
                a.name,
                b.name,
                b.cents,
                k,
                a.cents,
                a.cents * k
            ));
        }
    }
    out
}

/// Pairs parties by position, requiring as many on each side.
fn by_position<'a>(a: &'a [Party], b: &'a [Party]) -> Vec<(&'a Party, &'a Party)> {
    assert_eq!(a.len(), b.len(), "as many parties on each side");
    a.iter().zip(b).collect()
}

/// Pairs parties by name, requiring the same names on each side.
fn by_name<'a>(a: &'a [Party], b: &'a [Party]) -> Vec<(&'a Party, &'a Party)> {
    assert_eq!(a.len(), b.len(), "as many parties on each side");
    a.iter()
        .map(|x| {
            let y = b
                .iter()
                .find(|y| y.name == x.name)
                .unwrap_or_else(|| panic!("no {} after", x.name));
            (x, y)
        })
        .collect()
}

/// A charter (or a scenario on one) read at many exits: a session for the
/// payouts, and its exit curve walked once for the exact amounts.
struct Reader {
    session: Session,
    walked: Curve,
}

impl Reader {
    fn new(c: &Charter) -> Self {
        Self::of(Session::new(c))
    }

    /// A reader of a session after its events.
    fn of(mut session: Session) -> Self {
        let c = session.for_exits().unwrap().clone();
        let walked = curve::walk(&c, &c.liquidation, None, curve::Detail::Pieces).unwrap();
        Reader { session, walked }
    }

    /// Every class and pool, in the payout's order, at `exit`.
    fn at(&mut self, exit: Decimal) -> Vec<Party> {
        let p = match self.session.run("q", &format!("payout {exit}")) {
            Ok(Answer::Payout(p)) => p,
            Ok(other) => panic!("not a payout: {other:?}"),
            Err(p) => panic!("{}", charter::render::diagnostics::render(&p, false)),
        };
        let exact = exact_at(&self.walked, self.walked.regime_at(exit), exit).unwrap();
        let shown: Vec<(String, Decimal)> = p
            .classes
            .iter()
            .map(|c| (c.name.clone(), c.payout))
            .chain(p.pools.iter().map(|x| (x.name.clone(), x.payout)))
            .collect();
        assert_eq!(shown.len(), exact.len(), "an exact amount for every party");
        shown
            .into_iter()
            .zip(exact)
            .map(|((name, cents), exact)| Party { name, cents, exact })
            .collect()
    }

    /// The exits of the charter's breakpoints.
    fn breakpoints(&mut self) -> Vec<Decimal> {
        match self.session.run("q", "breakpoints") {
            Ok(Answer::Breakpoints(b)) => b.rows.iter().map(|r| r.exit).collect(),
            Ok(other) => panic!("not breakpoints: {other:?}"),
            Err(p) => panic!("{}", charter::render::diagnostics::render(&p, false)),
        }
    }
}

/// The exits a case reads: the picked breakpoints to the cent, and a cent
/// either side of each, and the random exits (in cents).
fn exits(breakpoints: &[Decimal], picks: &[Index], random: &[u64]) -> Vec<Decimal> {
    let mut out = Vec::new();
    if !breakpoints.is_empty() {
        for p in picks {
            let b = p.get(breakpoints).round_dp(2);
            for x in [b - cent(), b, b + cent()] {
                if x >= Decimal::ZERO {
                    out.push(x);
                }
            }
        }
    }
    out.extend(random.iter().map(|&c| Decimal::new(c as i64, 2)));
    out.sort();
    out.dedup();
    out
}

/// Replaces every whole word of `src` (a run of letters, digits and `_`)
/// that `f` maps; quoted names are words too, so `f` must leave alone what
/// it should not touch.
fn map_words(src: &str, f: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(src.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            out.push_str(&f(word).unwrap_or_else(|| word.clone()));
            word.clear();
        }
    };
    for ch in src.chars() {
        if ch.is_ascii_alphanumeric() || ch == '_' {
            word.push(ch);
        } else {
            flush(&mut word, &mut out);
            out.push(ch);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The index `i` of a generated class name `S{i}`.
fn series_index(word: &str) -> Option<usize> {
    word.strip_prefix('S').and_then(|n| n.parse().ok())
}

/// The series with every price `k` times as high.
fn scaled(list: &[Series], k: u32) -> Vec<Series> {
    list.iter()
        .map(|s| Series {
            issue_cents: s.issue_cents * k,
            conversion_cents: s.conversion_cents * k,
            ..s.clone()
        })
        .collect()
}

/// The generated text with an anti-dilution block adjusting every series
/// proportionally for splits and combinations, as a split needs.
fn with_split_clause(list: &[Series], src: &str) -> String {
    let names: Vec<String> = (0..list.len()).map(|i| format!("S{i}")).collect();
    format!(
        "{src}anti-dilution {} {{ splits and combinations adjust proportionally }}\n",
        names.join(", ")
    )
}

/// The events a split property tries, each with the factor it multiplies
/// the common shares by: splits, combinations, and a stock dividend (a
/// split of 110:100).
const SPLITS: [(&str, i64, i64); 7] = [
    ("split 2:1", 2, 1),
    ("combine 1:2", 1, 2),
    ("split 3:1", 3, 1),
    ("combine 1:3", 1, 3),
    ("split 3:2", 3, 2),
    ("combine 2:3", 2, 3),
    ("stock dividend 10%", 110, 100),
];

/// A generated charter: common, `least` to six series, maybe an option
/// pool; in half the cases with few shares (up to 100 a series and 1,000
/// common), where amounts fall on whole cents, breakpoints on whole cents
/// and remainders tie more often.
fn charters(least: usize) -> impl Strategy<Value = (u32, Vec<Series>, Option<(u32, u32)>)> {
    (
        1u32..20_000_000,
        prop::collection::vec(series(), least..7),
        prop::option::of((1u32..2_000_000, 1u32..1_000)),
        any::<bool>(),
    )
        .prop_map(|(common, mut list, options, small)| {
            if !small {
                return (common, list, options);
            }
            for s in &mut list {
                s.shares = s.shares % 100 + 1;
            }
            (
                common % 1_000 + 1,
                list,
                options.map(|(n, strike)| (n % 100 + 1, strike)),
            )
        })
}

/// Exits: three breakpoints picked (and a cent either side), a random exit
/// up to $600M and one up to $100,000.
fn picked() -> impl Strategy<Value = (Vec<Index>, Vec<u64>)> {
    (
        prop::collection::vec(any::<Index>(), 3),
        0u64..60_000_000_000,
        0u64..10_000_000,
    )
        .prop_map(|(picks, big, small)| (picks, vec![big, small]))
}

proptest! {
    #![proptest_config(config(24))]

    /// Scaling: every price in the charter (issue prices, conversion
    /// prices, the option strike) and the exit k times as high is the same
    /// company in a currency worth 1/k as much. Preferences are multiples
    /// of the issue price, caps multiples of it, conversion ratios issue
    /// price over conversion price (unchanged), and an option's gain the
    /// common's price less its strike: every one of them is k times as
    /// much, so every payout is exactly k times as much before rounding,
    /// and to within the rounding's cent after.
    #[test]
    fn prices_and_exit_times_k_pay_k_times(
        (common, list, options) in charters(1),
        k in 2u32..=10,
        (picks, random) in picked(),
    ) {
        let src = text(common, &list, options);
        let big = text(common, &scaled(&list, k), options.map(|(n, strike)| (n, strike * k)));
        let mut before = Reader::new(&common::load("generated.charter", &src));
        let mut after = Reader::new(&common::load("scaled.charter", &big));
        let k = Decimal::from(k);
        for x in exits(&before.breakpoints(), &picks, &random) {
            let (a, b) = (before.at(x), after.at(x * k));
            // The cents may move: k × a fraction of a cent is another
            // fraction, and the remainder rule's cents follow the fractions.
            let diffs = differences(&by_position(&a, &b), k, false);
            prop_assert!(diffs.is_empty(), "at {} and {}:\n{}\n{}\n{}", x, x * k, diffs.join("\n"), src, big);
        }
    }

    /// Renaming: a class's name is a label, not a term; calling `S0`
    /// `Zed0` (and `Common` `Ordinary`, and giving some classes a display
    /// name) changes no right, so every payout, in order, is the same to
    /// the cent, and only the names the payout shows change.
    #[test]
    fn renaming_the_classes_changes_no_payout(
        (common, list, options) in charters(1),
        display in prop::collection::vec(any::<bool>(), 6),
        (picks, random) in picked(),
    ) {
        let src = text(common, &list, options);
        let renamed = map_words(&src, |w| match w {
            "Common" => Some("Ordinary".to_string()),
            _ => series_index(w).map(|i| format!("Zed{i}")),
        });
        // Display names after the renamed stock blocks' identifiers.
        let renamed = (0..list.len()).fold(renamed, |t, i| {
            if display[i] {
                t.replace(&format!("stock Zed{i} {{"), &format!("stock Zed{i} \"Zed Series {i}\" {{"))
            } else {
                t
            }
        });
        // The classes' new names; the pool keeps its own.
        let classes: Vec<String> = std::iter::once("Ordinary".to_string())
            .chain((0..list.len()).map(|i| {
                if display[i] {
                    format!("Zed Series {i}")
                } else {
                    format!("Zed{i}")
                }
            }))
            .collect();
        let mut before = Reader::new(&common::load("generated.charter", &src));
        let mut after = Reader::new(&common::load("renamed.charter", &renamed));
        for x in exits(&before.breakpoints(), &picks, &random) {
            let (a, b) = (before.at(x), after.at(x));
            let shown: Vec<&str> = b.iter().map(|p| p.name.as_str()).collect();
            let names: Vec<&str> = classes
                .iter()
                .map(String::as_str)
                .chain(a[classes.len()..].iter().map(|p| p.name.as_str()))
                .collect();
            prop_assert_eq!(&shown, &names, "names after renaming\n{}", renamed);
            let diffs = differences(&by_position(&a, &b), Decimal::ONE, true);
            prop_assert!(diffs.is_empty(), "at {}:\n{}\n{}\n{}", x, diffs.join("\n"), src, renamed);
        }
    }

    /// Reordering: the order the stock blocks are written in is not a
    /// term of the charter (seniority is what the liquidation block says),
    /// so every class, matched by name, is paid the same exact amount. The
    /// cents may move by one: the remainder rule gives a cent to the
    /// largest fraction dropped, and between equal fractions to the class
    /// declared first, which is the one thing the order changes (Common 2
    /// shares and S0 35 at $4.47, a 1.7x preference of $265.965, do not
    /// participate nor convert: at $265.97 the two exact amounts end in
    /// half a cent each, and the cent goes to whichever is declared first).
    #[test]
    fn reordering_the_stock_blocks_changes_no_payout(
        (common, list, options) in charters(1),
        keys in prop::collection::vec(any::<u32>(), 7),
        (picks, random) in picked(),
    ) {
        let src = text(common, &list, options);
        let lines: Vec<&str> = src.lines().collect();
        let stock: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].starts_with("stock ")).collect();
        let mut order: Vec<usize> = (0..stock.len()).collect();
        order.sort_by_key(|&i| (keys[i], i));
        if order.iter().enumerate().all(|(i, &j)| i == j) {
            order.reverse();
        }
        let mut out = lines.clone();
        for (slot, &from) in stock.iter().zip(&order) {
            out[*slot] = lines[stock[from]];
        }
        let reordered = out.join("\n") + "\n";
        let mut before = Reader::new(&common::load("generated.charter", &src));
        let mut after = Reader::new(&common::load("reordered.charter", &reordered));
        for x in exits(&before.breakpoints(), &picks, &random) {
            let (a, b) = (before.at(x), after.at(x));
            let diffs = differences(&by_name(&a, &b), Decimal::ONE, false);
            prop_assert!(diffs.is_empty(), "at {}:\n{}\n{}\n{}", x, diffs.join("\n"), src, reordered);
        }
    }

    /// A class with no shares: a series none of whose shares is
    /// outstanding has a preference of 0 × its issue price, participates on
    /// no shares and converts into none, wherever it ranks (pari passu with
    /// a rank, junior to all, or senior: a preference of $0 ahead of the
    /// others takes nothing from them), and whatever its clauses say. It
    /// gets $0, and every other party exactly what it got without it, to
    /// the cent (it is declared last among the classes, and a part of $0
    /// never takes a cent from the remainder rule).
    #[test]
    fn a_class_with_no_shares_changes_no_payout(
        (common, list, options) in charters(1),
        x in series(),
        (picks, random) in picked(),
    ) {
        let src = text(common, &list, options);
        let n = list.len();
        let mut with = list.clone();
        with.push(Series { shares: 0, issue_cents: 100, conversion_cents: 100, ..x });
        let added = map_words(&text(common, &with, options), |w| {
            (series_index(w) == Some(n)).then(|| "X".to_string())
        });
        let mut before = Reader::new(&common::load("generated.charter", &src));
        let mut after = Reader::new(&common::load("added.charter", &added));
        for e in exits(&before.breakpoints(), &picks, &random) {
            let (a, mut b) = (before.at(e), after.at(e));
            let zed = b.remove(n + 1);
            prop_assert_eq!(&zed.name, "X");
            prop_assert!(zed.cents.is_zero() && zed.exact.abs() <= noise(), "X is paid {} ({}) at {}\n{}", zed.cents, zed.exact, e, added);
            let diffs = differences(&by_position(&a, &b), Decimal::ONE, true);
            prop_assert!(diffs.is_empty(), "at {}:\n{}\n{}\n{}", e, diffs.join("\n"), src, added);
        }
    }

    /// Symmetry of `pari passu`: "S0 ranks on a parity with S1" and "S1
    /// ranks on a parity with S0" state one relation, so the charters pay
    /// the same, to the cent (the classes are declared in the same order).
    #[test]
    fn pari_passu_is_symmetric(
        (common, mut list, options) in charters(2),
        (picks, random) in picked(),
    ) {
        list[1].rank = list[0].rank;
        let src = text(common, &list, options);
        prop_assert!(src.contains("  S0 pari passu with S1"), "{}", src);
        let swapped = src.replacen("  S0 pari passu with S1", "  S1 pari passu with S0", 1);
        let mut before = Reader::new(&common::load("generated.charter", &src));
        let mut after = Reader::new(&common::load("swapped.charter", &swapped));
        for x in exits(&before.breakpoints(), &picks, &random) {
            let (a, b) = (before.at(x), after.at(x));
            let diffs = differences(&by_position(&a, &b), Decimal::ONE, true);
            prop_assert!(diffs.is_empty(), "at {}:\n{}\n{}\n{}", x, diffs.join("\n"), src, swapped);
        }
    }

    /// Splits: a split of the common (or a combination, or a stock
    /// dividend) multiplies the common shares, the option counts and every
    /// series' conversion ratio by one factor and divides the strikes by
    /// it; issue prices, and so preferences and caps, stay. A common
    /// share then stands for 1/factor of what it did, and every holder
    /// holds factor times as many: no class or pool is paid a cent more or
    /// less, at any exit.
    #[test]
    fn a_split_changes_no_payout(
        (common, list, options) in charters(1),
        (event, new, old) in prop::sample::select(SPLITS.to_vec()),
        (picks, random) in picked(),
    ) {
        let src = with_split_clause(&list, &text(common, &list, options));
        let c = common::load("generated.charter", &src);
        let mut before = Reader::new(&c);
        let mut session = Session::new(&c);
        if let Err(p) = session.run("q", event) {
            panic!("{event}: {}\n{src}", charter::render::diagnostics::render(&p, false));
        }
        // The event did move the common, the pool and the ratios: the
        // property is not read on the same charter twice.
        let factor = Decimal::from(new) / Decimal::from(old);
        let moved = &session.scenario.charter;
        // (A third of a share is a decimal of 28 digits: equal to noise.)
        let common_after = moved.classes[0].outstanding;
        prop_assert!((common_after - Decimal::from(common) * factor).abs() <= noise(), "common {} → {} on {}", common, common_after, event);
        for (was, now) in c.pools.iter().zip(&moved.pools) {
            prop_assert!((now.count - was.count * factor).abs() <= noise(), "options {} → {} on {}", was.count, now.count, event);
        }
        for (i, (was, now)) in c.classes.iter().zip(&moved.classes).enumerate().skip(1) {
            let (r, q) = (was.ratio.unwrap(), now.ratio.unwrap());
            prop_assert!((q - r * factor).abs() <= noise(), "S{} ratio {} → {} on {}", i - 1, r, q, event);
            // The issue prices, and so the preferences and caps, stay.
            prop_assert_eq!(now.issue_price, was.issue_price);
        }
        let mut after = Reader::of(session);
        for x in exits(&before.breakpoints(), &picks, &random) {
            let (a, b) = (before.at(x), after.at(x));
            let diffs = differences(&by_position(&a, &b), Decimal::ONE, true);
            prop_assert!(diffs.is_empty(), "{} at {}:\n{}\n{}", event, x, diffs.join("\n"), src);
        }
    }
}

/// The comparison reports what differs: a cent, an exact amount, a scaled
/// amount; and nothing where the payouts agree.
#[test]
fn differences_report_what_differs() {
    let p = |name: &str, cents: &str, exact: &str| Party {
        name: name.to_string(),
        cents: common::d(cents),
        exact: common::d(exact),
    };
    let a = [p("A", "10.00", "10.004"), p("B", "5.01", "5.006")];
    let same = a.clone();
    assert!(differences(&by_position(&a, &same), Decimal::ONE, true).is_empty());

    // A cent moved between two parties, exact amounts unchanged: reported
    // where the cents must be equal, allowed where they may move.
    let moved = [p("A", "10.01", "10.004"), p("B", "5.00", "5.006")];
    assert_eq!(
        differences(&by_position(&a, &moved), Decimal::ONE, true).len(),
        2
    );
    assert!(differences(&by_position(&a, &moved), Decimal::ONE, false).is_empty());

    // An exact amount off by a tenth of a cent: reported either way.
    let off = [p("A", "10.00", "10.005"), p("B", "5.01", "5.006")];
    assert_eq!(
        differences(&by_position(&a, &off), Decimal::ONE, false).len(),
        1
    );

    // Cents a whole cent from the exact amount: reported.
    let far = [p("A", "10.02", "10.004"), p("B", "4.99", "5.006")];
    assert_eq!(
        differences(&by_position(&a, &far), Decimal::ONE, false).len(),
        2
    );

    // Scaled by 3: right, and wrong by one party.
    let tripled = [p("A", "30.01", "30.012"), p("B", "15.02", "15.018")];
    assert!(differences(&by_position(&a, &tripled), Decimal::from(3), false).is_empty());
    let wrong = [p("A", "30.01", "30.012"), p("B", "15.00", "15.000")];
    assert_eq!(
        differences(&by_position(&a, &wrong), Decimal::from(3), false).len(),
        2
    );

    // By name: the same parties in another order agree.
    let swapped = [same[1].clone(), same[0].clone()];
    assert!(differences(&by_name(&a, &swapped), Decimal::ONE, true).is_empty());
}

/// The text rewriting renames whole words only.
#[test]
fn map_words_renames_whole_words() {
    let t = "stock S1 { } S10 S1, xS1 \"S1\"\n";
    let r = map_words(t, |w| (w == "S1").then(|| "Zed1".to_string()));
    assert_eq!(r, "stock Zed1 { } S10 Zed1, xS1 \"Zed1\"\n");
}
