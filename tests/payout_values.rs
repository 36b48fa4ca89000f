//! Payouts worked out by hand from the charter text. Each figure's
//! arithmetic is in the comment beside it; none is copied from the program.

mod common;
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
        "",
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
        "",
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
            "",
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

// ---------------------------------------------------------------- the source charters

#[test]
fn avesta_liquidation_at_50m() {
    let c = load_file("avesta.charter");
    // § A.1(a)-(c) preferences: D 1,827,667 × $6.24 = $11,404,642.08;
    // C 3,096,335 × $4.06 = $12,571,120.10; A 1,767,243 × $2.2917 =
    // $4,049,990.7831; B 2,138,752 × $4.34 = $9,282,183.68. Residual
    // $12,692,063.3569 over 8,000,000 + 2 × 1,767,243 + 2 × 2,138,752 +
    // 3,096,335 + 1,827,667 = 20,735,992 shares as converted (§ A.1(d)).
    // Common 8,000,000 × 0.61207887… = $4,896,631.2706…; A $6,213,375.1172…;
    // B $11,900,353.6608…; C $14,466,321.4481…; D $12,523,318.5030….
    // Floors sum to $49,999,999.98: the two cents go to C (.0082 dropped)
    // and A (.0073).
    let p = payout(&c, "payout $50M");
    assert_payouts(
        &p,
        &[
            ("Common", "4896631.27"),
            ("Series A", "6213375.12"),
            ("Series B", "11900353.66"),
            ("Series C", "14466321.45"),
            ("Series D", "12523318.50"),
        ],
    );
    // Named holders: FTV 500,000/1,827,667 of D's $12,523,318.5030… =
    // $3,426,039.4544…; FTV (Q) 200,000/… = $1,370,415.7817….
    let h = |n: &str| p.holders.iter().find(|h| h.name == n).unwrap().payout;
    assert_eq!(h("Financial Technology Ventures, L.P."), d("3426039.45"));
    assert_eq!(
        h("Financial Technology Ventures (Q), L.P."),
        d("1370415.78")
    );
}

#[test]
fn avesta_merger_caps_at_3x_and_a_b_convert() {
    let c = load_file("avesta.charter");
    // § A.1(e) at $200M: C is capped at 3 × $4.06 = $12.18 a share in total
    // and D at 3 × $6.24 = $18.72; A's cap of 3 × $2.2917 = $6.8751 is $3.4376
    // per common share (ratio 2) and B's $13.02 is $6.51, both below what
    // common receives, so A and B convert. C takes 3,096,335 × $12.18 =
    // $37,713,360.30.
    let p = payout(&c, "payout $200M as merger");
    assert!(converted(&p, "Series A") && converted(&p, "Series B"));
    assert!(!converted(&p, "Series C") && !converted(&p, "Series D"));
    assert_eq!(class(&p, "Series C"), d("37713360.30"));
    // D is not capped: the rest is $200M − $37,713,360.30 = $162,286,639.70,
    // with D's $11,404,642.08 preference out: $150,881,997.62 over 8,000,000 +
    // 3,534,486 + 4,277,504 + 1,827,667 = 17,639,657 shares = $8.55357… a
    // share, so D's participation 1,827,667 × 8.55357… = $15,633,073.13 stays
    // under its $2 × 6.24 extra room, and Common gets $68,428,540.36.
    assert_eq!(class(&p, "Common"), d("68428540.36"));
    assert_eq!(class(&p, "Series D"), d("27037715.21"));
}

#[test]
fn juniper_shortfall_is_shared_by_original_issue_price() {
    let c = load_file("juniper.charter");
    // § 4(b) at $50M: full preferences total $92,651,890.20 (each 1x issue
    // price), so $50M is shared in proportion to shares × issue price:
    // A 1,743,751 × $1.00 / 92,651,890.20 × 50M = $941,022.8956…;
    // B $5,070,991.6331…; C $25,059,391.6107…; D $3,571,432.8038…;
    // D1 $15,357,161.0566…. Floors sum to $49,999,999.98; the cents go to
    // D1 (.0066 dropped) and A (.0056). Common receives nothing.
    assert_payouts(
        &payout(&c, "payout $50M"),
        &[
            ("Series A", "941022.90"),
            ("Series B", "5070991.63"),
            ("Series C", "25059391.61"),
            ("Series D", "3571432.80"),
            ("Series D1", "15357161.06"),
            ("Common", "0"),
        ],
    );
}

#[test]
fn juniper_at_100m_preferences_then_common() {
    let c = load_file("juniper.charter");
    // All preferences paid: $92,651,890.20; Common takes $7,348,109.80.
    // Series A converting would get 1,743,751 / 0.44 = 3,963,070.45 common
    // shares of (100M − 90,908,139.20) / 33,963,070.45 ≈ $0.2677: $1.06M,
    // less than its $1,743,751 preference.
    let p = payout(&c, "payout $100M");
    assert_payouts(
        &p,
        &[
            ("Common", "7348109.80"),
            ("Series A", "1743751"),
            ("Series D1", "28457400"),
        ],
    );
    assert!(p.classes.iter().all(|c| !c.converted));
}

#[test]
fn quintus_group_converts_with_cash_in_its_rank() {
    let c = load_file("quintus.charter");
    // $100M. A-D convert on the election of a majority of A-D together
    // (§ 3(a)). Cash in their rank: 9,100,000 × $0.925 + 1,000,000 × $1.325 +
    // 3,000,000 × $1.765 + 1,455,000 × $2.544 = $18,739,020. F's preference
    // 1,500,000 × $8.25 = $12,375,000; E's 3,000,000 × $4.15 = $12,450,000.
    // Residual $56,435,980 over 34,055,000 shares = $1.657201… a share, under
    // E's and F's caps. Common 15M × that = $24,858,014.9757…; A $8,417,500 +
    // 9.1M × 1.657201… = $23,498,029.0853…; E $17,421,602.9951…;
    // F $14,860,801.4975….
    let p = payout(&c, "payout $100M");
    for s in ["Series A", "Series B", "Series C", "Series D"] {
        assert!(converted(&p, s), "{s} converts");
    }
    assert_payouts(
        &p,
        &[
            ("Common", "24858014.98"),
            ("Series A", "23498029.09"),
            ("Series E", "17421602.99"),
            ("Series F", "14860801.50"),
        ],
    );
}

#[test]
fn quintus_shortfall_after_series_f() {
    let c = load_file("quintus.charter");
    // $20M: F takes $12,375,000 first (§ 2(a)); A-E share $7,625,000 by full
    // preferential amount, total 9.1M + 1.43M + 5.73M + 4,001,250 + 12.45M =
    // $32,711,250: A 7,625,000 × 9.1/32.71125 = $2,121,212.1212…,
    // B $333,333.3333…, C $1,335,664.3356…, D $932,692.3076…,
    // E $2,902,097.9020…. Converting would put the A-D cash ($18.7M) in the
    // same short rank and lose A-D money, so nobody converts.
    let p = payout(&c, "payout $20M");
    assert_payouts(
        &p,
        &[
            ("Series F", "12375000"),
            ("Series A", "2121212.12"),
            ("Series B", "333333.33"),
            ("Series C", "1335664.34"),
            ("Series D", "932692.31"),
            ("Series E", "2902097.90"),
            ("Common", "0"),
        ],
    );
}

#[test]
fn scc_series_a_participates_below_four_times_and_b_converts() {
    let c = load_file("scc.charter");
    // $60M: Distribution Amount 60M / 7,750,000 = $7.74 < 4 × $2.965, so A
    // participates (§ 2(a)(v)). Preferences A 2,100,000 × $2.965 =
    // $6,226,500 and C 1,250,000 × $10.05 = $12,562,500. B converting: the
    // residual $41,211,000 over 7,750,000 shares = $5.3175… > B's $5.00, and
    // C's participation 1.25M × 5.3175 = $6.65M stays under its 1x ($12.56M)
    // cap. Common 4M × 5.317548… = $21,270,193.5483…; A $17,393,351.6129…;
    // B $2,127,019.3548…; C $19,209,435.4838…. Floors sum to $59,999,999.98;
    // the two cents go to Common (.0084 dropped) and B (.0048).
    let p = payout(&c, "payout $60M");
    assert!(converted(&p, "Series B") && !converted(&p, "Series A"));
    assert_payouts(
        &p,
        &[
            ("Common", "21270193.55"),
            ("Series A", "17393351.61"),
            ("Series B", "2127019.36"),
            ("Series C", "19209435.48"),
        ],
    );
}

#[test]
fn scc_series_c_capped_at_one_times_more() {
    let c = load_file("scc.charter");
    // $100M: Distribution Amount $12.90 ≥ $11.86, so A does not participate
    // and converts. C takes $12,562,500 and is capped at 1x more (§ 2(d)):
    // $25,125,000. The other $74,875,000 goes over 4M + 2.1M + 0.4M = 6.5M
    // shares: Common $46,076,923.0769…, A $24,190,384.6153…, B $4,607,692.3076….
    let p = payout(&c, "payout $100M");
    assert_payouts(
        &p,
        &[
            ("Series C", "25125000"),
            ("Common", "46076923.08"),
            ("Series A", "24190384.61"),
            ("Series B", "4607692.31"),
        ],
    );
    // The same terms apply on a Corporate Transaction.
    assert_eq!(
        class(&payout(&c, "payout $100M as merger"), "Series C"),
        d("25125000")
    );
}
