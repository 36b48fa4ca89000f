//! Payouts worked out by hand from the charter text. Each figure's
//! arithmetic is in the comment beside it; none is copied from the program.

use crate::common;
use common::*;

const A_1X: &str = "stock A \"Series A\" { preferred outstanding 1_000_000 original issue price $2.00 conversion price $2.00 }";

// ---------------------------------------------------------------- participation kinds

#[test]
fn non_participating_takes_the_greater_of_preference_and_conversion() {
    let c = small(
        "stock A \"Series A\" { preferred outstanding 1_000_000 original issue price $1.00 conversion price $1.00 }",
        "preference A: 1x original issue price\nA does not participate",
        "A convert at the holder's option",
    );
    // $1.5M: preference $1,000,000; converting would give 1.5M × 1/2 = $750,000.
    assert_payouts(
        &payout(&c, "payout $1.5M"),
        &[("Series A", "1000000"), ("Common", "500000")],
    );
    // $3M: converting gives 3M × 1/2 = $1,500,000 > $1,000,000.
    let p = payout(&c, "payout $3M");
    assert!(converted(&p, "Series A"));
    assert_payouts(&p, &[("Series A", "1500000"), ("Common", "1500000")]);
    // $2M: converting gives exactly $1,000,000 = the preference: indifferent,
    // so by the tie-break the class keeps its preferred stock.
    let p = payout(&c, "payout $2M");
    assert!(!converted(&p, "Series A"));
    assert_payouts(&p, &[("Series A", "1000000"), ("Common", "1000000")]);
}

#[test]
fn full_participation_takes_preference_then_shares_as_converted() {
    let c = small(
        A_1X,
        "preference A: 1x original issue price\nA participates",
        "A does not convert",
    );
    // $6M: preference 1M × $2 = $2M; residual $4M over 2M shares = $2/share.
    // A: 2M + 2M = $4M; Common $2M.
    assert_payouts(
        &payout(&c, "payout $6M"),
        &[("Series A", "4000000"), ("Common", "2000000")],
    );
}

#[test]
fn cap_in_total_stops_participation_then_conversion_beats_it() {
    let c = small(
        A_1X,
        "preference A: 1x original issue price\nA participates until 3x original issue price in total",
        "A convert at the holder's option",
    );
    // $6M: 2M + 4M/2 = $4M, under the cap of 3 × $2 × 1M = $6M.
    assert_payouts(
        &payout(&c, "payout $6M"),
        &[("Series A", "4000000"), ("Common", "2000000")],
    );
    // $11M: uncapped would be 2M + 9M/2 = $6.5M > $6M: capped at $6M, Common
    // takes the other $5M; converting would give 11M/2 = $5.5M < $6M.
    let p = payout(&c, "payout $11M");
    assert!(!converted(&p, "Series A"));
    assert_payouts(&p, &[("Series A", "6000000"), ("Common", "5000000")]);
    // $14M: capped $6M < converting 14M/2 = $7M: the capped class converts.
    let p = payout(&c, "payout $14M");
    assert!(converted(&p, "Series A"));
    assert_payouts(&p, &[("Series A", "7000000"), ("Common", "7000000")]);
}

#[test]
fn cap_in_addition_counts_only_the_participation() {
    let c = small(
        A_1X,
        "preference A: 1x original issue price\nA participates until 1x original issue price more",
        "A convert at the holder's option",
    );
    // $5M: 2M preference + 3M/2 = $3.5M (participation $1.5M < $2M cap).
    assert_payouts(
        &payout(&c, "payout $5M"),
        &[("Series A", "3500000"), ("Common", "1500000")],
    );
    // $8M: participation would be 6M/2 = $3M, capped at 1 × $2 × 1M = $2M:
    // A $4M, Common $4M. Converting gives 8M/2 = $4M: indifferent, stays.
    let p = payout(&c, "payout $8M");
    assert!(!converted(&p, "Series A"));
    assert_payouts(&p, &[("Series A", "4000000"), ("Common", "4000000")]);
    // $10M: capped $4M < converting $5M.
    assert_payouts(
        &payout(&c, "payout $10M"),
        &[("Series A", "5000000"), ("Common", "5000000")],
    );
}

#[test]
fn conditional_participation_switches_off_at_the_threshold() {
    let c = small(
        "stock A \"Series A\" { preferred outstanding 1_000_000 original issue price $1.00 conversion price $1.00 }",
        "preference A: 1x original issue price\nA participates while distribution per share < 4x original issue price",
        "A convert at the holder's option",
    );
    // $7.98M: distribution per share 7.98M / 2M = $3.99 < $4: participates.
    // A: 1M + 6.98M/2 = $4.49M; Common $3.49M.
    assert_payouts(
        &payout(&c, "payout $7.98M"),
        &[("Series A", "4490000"), ("Common", "3490000")],
    );
    // $8M: 8M / 2M = $4, not under $4: preference only ($1M) or convert
    // (8M/2 = $4M): converts.
    let p = payout(&c, "payout $8M");
    assert!(converted(&p, "Series A"));
    assert_payouts(&p, &[("Series A", "4000000"), ("Common", "4000000")]);
}

// ---------------------------------------------------------------- shortfall rules and seniority

/// A: 1M shares, $1 issue price, 1x ($1M in full). B: 500k shares, $4 issue
/// price, preference fixed at $3 a share ($1.5M in full). Neither converts.
fn shortfall(rule: &str) -> charter::ir::Charter {
    small(
        "stock A \"Series A\" { preferred outstanding 1_000_000 original issue price $1.00 conversion price $1.00 }\n\
         stock B \"Series B\" { preferred outstanding 500_000 original issue price $4.00 conversion price $4.00 }",
        &format!(
            "A pari passu with B\npreference A: 1x original issue price\npreference B: $3.00 per share\n\
             shortfall A, B: ratably by {rule}\nA, B do not participate"
        ),
        "A, B do not convert",
    )
}

#[test]
fn shortfall_by_full_preferential_amount() {
    // $1.2M over full amounts 1M : 1.5M: A 1.2M × 1/2.5 = $480,000, B $720,000.
    assert_payouts(
        &payout(&shortfall("full preferential amount"), "payout $1.2M"),
        &[
            ("Series A", "480000"),
            ("Series B", "720000"),
            ("Common", "0"),
        ],
    );
}

#[test]
fn shortfall_by_shares_water_fills() {
    let c = shortfall("shares");
    // $1.2M over shares 1M : 0.5M: A $800,000, B $400,000.
    assert_payouts(
        &payout(&c, "payout $1.2M"),
        &[("Series A", "800000"), ("Series B", "400000")],
    );
    // $2.2M: at $1/share A is full ($1M, with B at $0.5M); the other $0.7M
    // goes to B alone: B $1.2M.
    assert_payouts(
        &payout(&c, "payout $2.2M"),
        &[
            ("Series A", "1000000"),
            ("Series B", "1200000"),
            ("Common", "0"),
        ],
    );
}

#[test]
fn shortfall_by_original_issue_price() {
    // Weights shares × issue price: 1M × $1 : 0.5M × $4 = 1 : 2.
    // $1.2M: A $400,000, B $800,000.
    assert_payouts(
        &payout(&shortfall("original issue price"), "payout $1.2M"),
        &[("Series A", "400000"), ("Series B", "800000")],
    );
}

#[test]
fn seniority_pays_the_senior_rank_in_full_first() {
    for relation in ["A senior to B", "B junior to A"] {
        let c = small(
            "stock A \"Series A\" { preferred outstanding 1_000_000 original issue price $1.00 conversion price $1.00 }\n\
             stock B \"Series B\" { preferred outstanding 500_000 original issue price $4.00 conversion price $4.00 }",
            &format!(
                "{relation}\npreference A, B: 1x original issue price\nA, B do not participate"
            ),
            "A, B do not convert",
        );
        // $2.5M: A takes its full $1M; B takes the remaining $1.5M of its $2M.
        assert_payouts(
            &payout(&c, "payout $2.5M"),
            &[
                ("Series A", "1000000"),
                ("Series B", "1500000"),
                ("Common", "0"),
            ],
        );
    }
}

// ---------------------------------------------------------------- equilibrium

#[test]
fn one_conversion_changes_anothers_choice() {
    let c = small(
        "stock A \"Series A\" { preferred outstanding 1_000_000 original issue price $1.00 conversion price $1.00 }\n\
         stock B \"Series B\" { preferred outstanding 1_000_000 original issue price $3.00 conversion price $3.00 }",
        "A pari passu with B\npreference A, B: 1x original issue price\nshortfall A, B: ratably by full preferential amount\nA, B do not participate",
        "A, B convert at the holder's option",
    );
    // $8M. Nobody converting: Common gets 8 − 1 − 3 = $4M, $4/share, so each
    // of A ($1 preference) and B ($3) would gain by converting alone.
    // If A converts: (8 − 3)/2 = $2.50/share; B converting too would get
    // 8/3 = $2.67 < $3, so B stays. If B converted alone, A would follow, and
    // B would then go back. The one equilibrium: A converts, B does not.
    let p = payout(&c, "payout $8M");
    assert!(converted(&p, "Series A"));
    assert!(!converted(&p, "Series B"));
    assert_payouts(
        &p,
        &[
            ("Series A", "2500000"),
            ("Series B", "3000000"),
            ("Common", "2500000"),
        ],
    );
}

#[test]
fn options_exercise_in_the_money_and_pay_in_their_price() {
    let text = "charter \"Test, Inc.\" { filed 2020-01-01 }\n\
        stock Common { common outstanding 1_000_000 }\n\
        stock A \"Series A\" { preferred outstanding 1_000_000 original issue price $1.00 conversion price $1.00 }\n\
        options \"2019 Plan\" 250_000 Common at $2.00\n\
        liquidation { preference A: 1x original issue price\nA does not participate }\n\
        conversion { A convert at the holder's option }\n";
    let c = load("options.charter", text);
    // $10M: with the options exercised, $10.5M is distributed. A converting:
    // 10.5M / 2.25M shares = $4.6667/share, above the $2 exercise price and
    // A's $1 preference. Common 1M × 4.6667 = $4,666,666.666…, A the same,
    // options 250k × (4.6667 − 2) = $666,666.666…. Rounded down these make
    // $9,999,999.98; the two cents go to the largest dropped fractions,
    // equal here, so to the first two listed: Common and A.
    let p = payout(&c, "payout $10M");
    assert!(p.pools[0].exercised);
    assert_payouts(&p, &[("Common", "4666666.67"), ("Series A", "4666666.67")]);
    assert_eq!(p.pools[0].payout, d("666666.66"));
    // $1.5M: A keeps its $1M preference; Common's $0.50/share is under $2.
    let p = payout(&c, "payout $1.5M");
    assert!(!p.pools[0].exercised);
    assert_payouts(&p, &[("Common", "500000"), ("Series A", "1000000")]);
}

// The source charters' payouts are tested by the `expect` blocks in
// `charters/*.charter` (run by tests/expectations.rs).

/// A cap table of preferred only (no common outstanding): past the
/// preferences nobody would take the next dollar unless a series converts,
/// and converting it then takes what is left. B (1,000,000 at $2.00) is
/// senior to A (1,000,000 at $1.00), both 1x, non-participating, 1:1.
/// - $2.5M: B's $2M, then A $500,000 of its $1M preference;
/// - $4M: A converts from $3M (alone as common it takes everything past B's
///   $2M: $2M > its $1M preference); B stays (half of $4M is its $2M);
/// - $10M: B converts too from $4M (half of $10M = $5M > $2M): $5M each.
///
/// It was refused above $3M ("left with no class to take it", issue 31).
#[test]
fn preferred_only_converts_rather_than_leave_money_untaken() {
    let c = load(
        "preferred_only.charter",
        "charter \"Only, Inc.\" { filed 2020-01-01 }\n\
         stock Common { common outstanding 0 }\n\
         stock A \"Series A\" { preferred outstanding 1_000_000 original issue price $1.00 conversion price $1.00 }\n\
         stock B \"Series B\" { preferred outstanding 1_000_000 original issue price $2.00 conversion price $2.00 }\n\
         liquidation {\n  B senior to A\n  preference A, B: 1x original issue price\n  A, B do not participate\n}\n\
         conversion { A, B convert at the holder's option }\n",
    );
    let p = payout(&c, "payout $2.5M");
    assert_payouts(&p, &[("Series A", "500000"), ("Series B", "2000000")]);
    let p = payout(&c, "payout $4M");
    assert_payouts(&p, &[("Series A", "2000000"), ("Series B", "2000000")]);
    assert!(common::converted(&p, "Series A") && !common::converted(&p, "Series B"));
    let p = payout(&c, "payout $10M");
    assert_payouts(&p, &[("Series A", "5000000"), ("Series B", "5000000")]);
    let b = breakpoints(&c, "breakpoints");
    let exits: Vec<rust_decimal::Decimal> = b.rows.iter().map(|r| r.exit).collect();
    assert_eq!(exits, [d("0"), d("2000000"), d("3000000"), d("4000000")]);
}

/// A warrant for a convertible preferred series with no shares of its own
/// (1,000 common; Series W, 1x at $1.00, converting one for one, none
/// outstanding; warrants for 1,000 W at $1.00): exercising alone pays the
/// warrant holders W's $1.00 preference for their $1.00, and converting
/// nothing does nothing, so each looks indifferent alone; together they pay
/// once a common share is worth more than $1.00: (X + $1,000) / 2,000 > $1.00
/// from X = $1,000. At $10,000: $11,000 / 2,000 = $5.50 a share, Common
/// $5,500.00, the warrants 1,000 × ($5.50 − $1.00) = $4,500.00 (they took
/// $0, issue 31). At $2,500: $1.75 a share, $1,750.00 and $750.00.
#[test]
fn a_warrant_for_an_unissued_series_exercises_and_converts_together() {
    let c = load(
        "joint.charter",
        "charter \"Joint, Inc.\" { filed 2020-01-01 }\n\
         stock Common { common outstanding 1_000 }\n\
         stock W \"Series W\" { preferred outstanding 0 original issue price $1.00 conversion price $1.00 }\n\
         warrants \"Lender\" 1_000 W at $1.00\n\
         liquidation {\n  preference W: 1x original issue price\n  W does not participate\n}\n\
         conversion { W converts at the holder's option }\n",
    );
    let p = payout(&c, "payout $10000");
    assert_payouts(&p, &[("Common", "5500")]);
    assert_eq!(p.pools[0].payout, d("4500"));
    let p = payout(&c, "payout $2500");
    assert_payouts(&p, &[("Common", "1750")]);
    assert_eq!(p.pools[0].payout, d("750"));
    let b = breakpoints(&c, "breakpoints");
    let exits: Vec<rust_decimal::Decimal> = b.rows.iter().map(|r| r.exit).collect();
    assert_eq!(exits, [d("0"), d("1000")]);
}
