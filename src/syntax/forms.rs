//! The clause forms each block accepts, one example each, for the help of a
//! parse error: the reader sees what may be written where the error is,
//! rather than a pointer to the README.
//!
//! The block is found by counting braces before the error (outside comments
//! and quoted names); of its forms, those whose words occur in the clause
//! being written come first, and alone when any do.

/// One clause form: words that mark it, and an example.
#[derive(Clone, Copy)]
struct Form {
    /// A clause containing one of these words is probably this form.
    marks: &'static [&'static str],
    /// An example, as the README's tour writes it.
    example: &'static str,
}

const fn form(marks: &'static [&'static str], example: &'static str) -> Form {
    Form { marks, example }
}

const TOP: &[Form] = &[
    form(&["charter"], "charter \"Name, Inc.\" { filed 1999-09-24 }"),
    form(
        &["stock"],
        "stock A \"Series A\" { preferred outstanding 1_000 original issue price $2.00 ... }",
    ),
    form(&["holders"], "holders { \"Fund, L.P.\" 500_000 A }"),
    form(
        &["options", "warrants"],
        "options \"2020 Plan\" 1_000_000 Common at $0.75",
    ),
    form(&["liquidation"], "liquidation § 2 { ... }"),
    form(
        &["deemed"],
        "deemed liquidation \"Liquidation Transaction\" § 2(c) { ... }",
    ),
    form(&["conversion"], "conversion § 4 { ... }"),
    form(
        &["anti-dilution", "anti", "dilution"],
        "anti-dilution A, B § 4(d) { ... }",
    ),
    form(&["voting"], "voting § 5 { ... }"),
    form(
        &["protective", "provisions"],
        "protective provisions § 6 { ... }",
    ),
    form(&["dividends"], "dividends § 1 { ... }"),
    form(&["redemption"], "redemption § 3 { ... }"),
    form(
        &["expect"],
        "expect \"what it checks\" § 2 { payout $50M  A receives $1,000,000.00 }",
    ),
    form(
        &["snapshot"],
        "snapshot \"exits\" { payout $10M  payout $50M }",
    ),
];

const HEADER: &[Form] = &[
    form(&["filed"], "filed 1999-09-24"),
    form(&["jurisdiction"], "jurisdiction Delaware"),
    form(&["source"], "source \"003_b1450a0b9e614954.txt\""),
];

const STOCK: &[Form] = &[
    form(&["preferred", "common"], "preferred   (or: common)"),
    form(&["authorized"], "authorized 1_767_243"),
    form(&["outstanding"], "outstanding 1_767_243"),
    form(&["par"], "par $0.01"),
    form(&["original", "issue"], "original issue price $2.2917"),
    form(&["conversion", "price"], "conversion price $1.145850"),
    form(&["conversion", "ratio"], "conversion ratio 2"),
    form(
        &["declared", "unpaid", "dividends"],
        "declared unpaid dividends $0.10 per share",
    ),
    form(&["issued"], "issued 1998-04-02"),
];

const LIQUIDATION: &[Form] = &[
    form(
        &["senior", "junior", "pari", "passu"],
        "D senior to C, A, B   (or: junior to, pari passu with)",
    ),
    form(
        &["preference"],
        "preference D: 1x original issue price plus declared dividends",
    ),
    form(&["preference", "per"], "preference F: $8.25 per share"),
    form(
        &["shortfall", "ratably"],
        "shortfall A, B: ratably by full preferential amount   (or: by shares, by original issue price)",
    ),
    form(
        &["participate", "participates", "converted"],
        "A, B participate as converted",
    ),
    form(
        &[
            "participate",
            "participates",
            "until",
            "total",
            "capped",
            "cap",
        ],
        "E participates until 3x original issue price in total",
    ),
    form(
        &[
            "participate",
            "participates",
            "until",
            "more",
            "capped",
            "cap",
        ],
        "C participates until 1x original issue price more",
    ),
    form(
        &["participate", "participates", "while"],
        "A participates while distribution per share < 4x original issue price",
    ),
    form(
        &["not", "does", "do", "participate"],
        "B does not participate",
    ),
];

const DEEMED: &[Form] = &[
    form(
        &["on", "merger", "consolidation"],
        "on merger, consolidation, asset-sale",
    ),
    form(
        &["unless", "survivor"],
        "unless stockholders keep a majority of the survivor",
    ),
    form(
        &["only", "elected"],
        "only if elected by 50% of each of A, B, C, D",
    ),
];

const CONVERSION: &[Form] = &[
    form(
        &["option", "holder's", "holder"],
        "A, B convert at the holder's option",
    ),
    form(&["not"], "F does not convert"),
    form(
        &["together", "election"],
        "A, B convert together on election of a majority of A, B",
    ),
    form(
        &["cash"],
        "cash on conversion A $0.925, B $1.325 per share plus declared dividends",
    ),
    form(
        &["fractional"],
        "fractional shares: cash in lieu, aggregated per holder",
    ),
    form(
        &["automatically", "ipo", "proceeds"],
        "A, B convert automatically on ipo: price >= 3x conversion price and gross proceeds > $10M",
    ),
    form(
        &["automatically", "approval"],
        "A, B convert automatically on approval of 2/3 of each of A, B",
    ),
    form(
        &["below", "greater"],
        "E on ipo below $8.30 converts at the greater of $8.30 / ipo price and original issue price / conversion price",
    ),
    form(
        &["becomes", "filed", "within"],
        "D1 conversion price becomes 85% of the ipo price if filed within 180 days of original issue",
    ),
];

const ANTIDILUTION: &[Form] = &[
    form(
        &["weighted", "average", "counting"],
        "weighted average counting common, preferred as converted, vested options, convertibles",
    ),
    form(
        &["full", "ratchet"],
        "full ratchet for C through 2 years after original issue",
    ),
    form(&["round"], "round weighted average to nearest cent"),
    form(
        &["consideration"],
        "consideration gross   (or: consideration net of fees)",
    ),
    form(
        &["adjustment", "carried"],
        "no adjustment under $0.01, carried forward 3 years",
    ),
    form(&["excluded"], "excluded plan up to 3_700_000 shares"),
    form(
        &["splits", "combinations"],
        "splits and combinations adjust proportionally",
    ),
    form(
        &["issue", "adjusted", "likewise"],
        "original issue price adjusted likewise   (or: ... likewise for splits and combinations)",
    ),
];

const VOTING: &[Form] = &[
    form(
        &["vote", "votes"],
        "A: 10 votes per share as converted   (or: Common: 1 vote per share)",
    ),
    form(&["no", "votes"], "F: no votes"),
    form(
        &["fractional"],
        "fractional votes: round to nearest whole share, aggregated per holder",
    ),
    form(
        &["board", "elects", "elect"],
        "board: C elects 1, Common, A, B together elect the rest",
    ),
    form(
        &["shift", "during"],
        "during a voting shift: board of at least 5: A, B elect 3/4 of the board rounded to nearest, Common elects the rest",
    ),
    form(&["cumulative"], "cumulative voting for directors"),
];

const PROTECTIVE: &[Form] = &[
    form(
        &["action"],
        "action transfer-material-assets \"transfer material assets outside the group\"",
    ),
    form(
        &["majority", "of", "for", "together", "each"],
        "a majority of A, B, C, D together for merger, asset-sale",
    ),
    form(
        &["while", "outstanding"],
        "a majority of D while more than 450_000 shares of D outstanding for merger",
    ),
    form(
        &["including", "hold"],
        "a majority of D including \"Fund, L.P.\" while they hold 35% of D for merger",
    ),
    form(
        &["if", "price"],
        "a majority of D if price per share < 1.5x original issue price of D for merger",
    ),
];

const DIVIDENDS: &[Form] = &[
    form(
        &["annum", "declared", "when"],
        "A $0.1375, B $0.2604 per share per annum when declared",
    ),
    form(
        &["cumulative", "accruing", "compounding", "simple"],
        "C: 8% of original issue price per annum, cumulative, accruing daily actual/365, simple",
    ),
    form(&["before"], "C before A, B, Common"),
    form(
        &["short", "declaration"],
        "A, B share a short declaration in proportion to full amounts",
    ),
    form(
        &["beyond"],
        "beyond the preferential amounts, Common, A, B share as converted",
    ),
    form(
        &["greater", "rate"],
        "A, B receive the greater of their rate and what Common receives as converted",
    ),
    form(
        &["unless", "no", "equal"],
        "no dividend on Common unless an equal dividend as converted on A, B",
    ),
    form(
        &["waives"],
        "C waives half of its accrued dividends on conversion when common is worth more than 2x original issue price, all at 4x",
    ),
];

const REDEMPTION: &[Form] = &[
    form(
        &["redeemable", "request"],
        "A, B redeemable at the holder's request: up to 1/3 on 2002-12-31, all on 2004-12-31",
    ),
    form(
        &["redeemable", "election"],
        "C redeemable on election of a majority of C: all on 7 years after original issue",
    ),
    form(
        &["price", "preference", "market"],
        "price D: the greater of fair market value and preference",
    ),
    form(&["before"], "D before A, B, C"),
    form(
        &["insufficient", "funds"],
        "insufficient funds: pro rata by shares requested   (or: by redemption amount)",
    ),
    form(&["late"], "late: 20% per annum compounded annually"),
];

const STATEMENTS: &[Form] = &[
    form(&["payout"], "payout 50M   (or: payout 50M as merger)"),
    form(&["breakpoints"], "breakpoints up to 200M"),
    form(&["curve"], "curve 0 200M in 100 steps"),
    form(&["issue"], "issue 2_000_000 Common at $3.00"),
    form(
        &["grant"],
        "grant 1_000_000 options at $1.00 excluded as plan",
    ),
    form(&["split", "combine"], "split 2:1   (or: combine 1:2)"),
    form(&["stock", "dividend"], "stock dividend 10%"),
    form(&["ipo"], "ipo at $10.00 raising 50M"),
    form(&["convert"], "convert D at $4.00"),
    form(&["prices", "conversion"], "conversion prices"),
    form(&["explain"], "explain conversion price D"),
    form(&["on", "date"], "on 2003-06-30"),
    form(&["approve"], "approve merger with A 70%, B 100%"),
    form(&["votes"], "votes"),
    form(&["board"], "board"),
    form(&["declare", "dividend"], "declare dividend 1M"),
    form(&["accrued"], "accrued C on 2003-06-30"),
    form(
        &["redeem"],
        "redeem on 2004-12-31 funds 10M requests A 100%",
    ),
];

/// The forms of the block that encloses byte `at` of `text`: those marked by
/// a word of the clause being written (or by `hint`, the keyword a "did you
/// mean" suggests) where any are, else all. `statements` is for a query.
pub fn help(text: &str, at: usize, statements: bool, hint: Option<&str>) -> Option<String> {
    let (head, clause) = if statements {
        ("expect", clause_before(text, at))
    } else {
        enclosing(text, at)
    };
    let top = head.is_empty();
    let block = forms_of(head);
    let words: Vec<String> = clause
        .split(|c: char| c.is_whitespace() || c == ',' || c == ':')
        .chain(hint)
        .map(str::to_lowercase)
        .collect();
    let marked: Vec<&Form> = block
        .iter()
        .filter(|f| f.marks.iter().any(|m| words.iter().any(|w| w == m)))
        .collect();
    let shown: Vec<&Form> = if marked.is_empty() {
        block.iter().collect()
    } else {
        marked
    };
    let list: Vec<String> = shown.iter().map(|f| format!("  {}", f.example)).collect();
    (!list.is_empty()).then(|| {
        let lead = if statements {
            "statements are written"
        } else if top {
            "a charter file is made of blocks"
        } else {
            "here, clauses are written"
        };
        format!("{lead} like:\n{}", list.join("\n"))
    })
}

/// The first word of the innermost block open at `at` (empty outside every
/// block), and the clause text from the start of its line (or the block's
/// `{`) to the word after `at`.
fn enclosing(text: &str, at: usize) -> (&str, &str) {
    let before = text.get(..at).unwrap_or(text);
    let mut opens: Vec<usize> = Vec::new();
    let (mut comment, mut quoted) = (false, false);
    for (i, c) in before.char_indices() {
        match c {
            '\n' => {
                comment = false;
                quoted = false;
            }
            _ if comment => {}
            '"' => quoted = !quoted,
            _ if quoted => {}
            '#' => comment = true,
            '{' => opens.push(i),
            '}' => {
                opens.pop();
            }
            _ => {}
        }
    }
    let head = opens.last().map_or("", |&open| {
        let line_start = before
            .get(..open)
            .and_then(|b| b.rfind('\n'))
            .map_or(0, |n| n.saturating_add(1));
        let head = before.get(line_start..open).unwrap_or("");
        head.split_whitespace().next().unwrap_or("")
    });
    (head, clause_before(text, at))
}

/// The forms of a block by its first word (the blocks themselves for none);
/// a deemed liquidation takes its own clauses and the liquidation's.
fn forms_of(head: &str) -> Vec<Form> {
    let forms: &[Form] = match head {
        "" => TOP,
        "deemed" => return DEEMED.iter().chain(LIQUIDATION).copied().collect(),
        "charter" => HEADER,
        "stock" => STOCK,
        "liquidation" => LIQUIDATION,
        "conversion" => CONVERSION,
        "anti-dilution" => ANTIDILUTION,
        "voting" => VOTING,
        "protective" => PROTECTIVE,
        "dividends" => DIVIDENDS,
        "redemption" => REDEMPTION,
        "expect" | "snapshot" => STATEMENTS,
        _ => &[],
    };
    forms.to_vec()
}

/// The line being written at `at`, up to and including the word there.
fn clause_before(text: &str, at: usize) -> &str {
    let start = text
        .get(..at)
        .and_then(|b| b.rfind(['\n', '{']))
        .map_or(0, |n| n.saturating_add(1));
    let end = text
        .get(at..)
        .and_then(|rest| {
            let word = rest.trim_start();
            let skipped = rest.len().saturating_sub(word.len());
            word.find(char::is_whitespace)
                .map(|n| at.saturating_add(skipped).saturating_add(n))
        })
        .unwrap_or(text.len());
    text.get(start..end).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse_file, parse_query};

    /// The example without its "(or: ...)" and "..." placeholders.
    fn bare(example: &str) -> String {
        example
            .split("   (or:")
            .next()
            .unwrap_or(example)
            .replace("...", "")
    }

    /// Every example parses where the help shows it: a help that taught a
    /// wrong spelling would be worse than none.
    #[test]
    fn every_example_parses() {
        for f in TOP {
            let text = bare(f.example);
            assert!(parse_file(&text).is_ok(), "{text}");
        }
        for f in STATEMENTS {
            let text = bare(f.example);
            assert!(parse_query(&text).is_ok(), "{text}");
        }
        for (head, forms) in [
            ("charter \"T\"", HEADER),
            ("stock A", STOCK),
            ("liquidation", LIQUIDATION),
            ("deemed liquidation \"T\"", DEEMED),
            ("conversion", CONVERSION),
            ("anti-dilution A", ANTIDILUTION),
            ("voting", VOTING),
            ("protective provisions", PROTECTIVE),
            ("dividends", DIVIDENDS),
            ("redemption", REDEMPTION),
        ] {
            assert!(forms_of(head.split(' ').next().unwrap_or("")).len() >= forms.len());
            for f in forms {
                let text = format!("{head} {{\n{}\n}}\n", bare(f.example));
                assert!(
                    parse_file(&text).is_ok(),
                    "{text}: {:?}",
                    parse_file(&text).err()
                );
            }
        }
    }

    /// The help names the forms of the block the error is in, and of those
    /// the ones the clause's words mark.
    #[test]
    fn the_block_and_the_clause_choose_the_forms() {
        let text = "liquidation {\n  A participates capped at 3x\n}";
        let at = text.find("at 3x").unwrap_or(0);
        let h = help(text, at, false, None).unwrap_or_default();
        assert!(h.contains("until 3x original issue price in total"), "{h}");
        assert!(h.contains("more"), "{h}");
        assert!(!h.contains("shortfall"), "{h}");
        let h = help("protectiv provisions { }", 0, false, Some("protective")).unwrap_or_default();
        assert_eq!(
            h,
            "a charter file is made of blocks like:\n  protective provisions § 6 { ... }"
        );
    }
}
