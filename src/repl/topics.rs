//! `:help STATEMENT`: each statement's form, what it answers, and an
//! example, as the README's statement table gives them.

/// One statement's help: its word, its form, what it does, an example.
const TOPICS: &[(&str, &str, &str, &str)] = &[
    (
        "payout",
        "payout AMOUNT [as EVENT]",
        "who receives what when the company is sold or liquidated for AMOUNT, to the cent, with each conversion decision and the clause behind every amount",
        "payout 50M as merger",
    ),
    (
        "breakpoints",
        "breakpoints [as EVENT] [up to AMOUNT]",
        "every exit at which a payout bends or jumps, why, and who takes the next dollar",
        "breakpoints up to 200M",
    ),
    (
        "curve",
        "curve FROM TO [in N steps | by STEP] [as EVENT]",
        "payouts per class and holder along a range of exits",
        "curve 0 100M in 10 steps",
    ),
    (
        "solve",
        "solve exit where X [and Y ...] receive(s) $A | Nx its investment | $P per share [as EVENT]",
        "the least exit, to the cent, at which a class, named holder, pool or group (or parties named together) is entitled to at least the target, or why it never is",
        "solve exit where Common receives $10M",
    ),
    (
        "value",
        "value at $EQUITY volatility P% term N years|months rate P% [as EVENT] | value solving X at $P per share volatility ...",
        "each class's value by the option pricing method, with the tranches (call spreads) behind it; or the equity value at which X is worth $P a share",
        "value at 50M volatility 55% term 3.5 years rate 4.2%",
    ),
    (
        "compare",
        "compare with FILE [FROM TO] [as EVENT]",
        "the charter in the session (as edited, with its events) against FILE as saved: each class's payout under both at every breakpoint of either, where each gains and loses most, and the clauses that differ (REPL only)",
        "compare with b.charter 0 100M",
    ),
    (
        "issue",
        "issue N CLASS at $P [fees AMOUNT] [on DATE] [excluded as CATEGORY]",
        "an issuance of stock; conversion prices adjust as the anti-dilution clauses say",
        "issue 2_000_000 Common at $3.00",
    ),
    (
        "grant",
        "grant N options at $P [vested N] [on DATE] [excluded as CATEGORY]",
        "an option grant, counted as the anti-dilution clauses say",
        "grant 500_000 options at $0.50 excluded as plan",
    ),
    (
        "split",
        "split N:M [on DATE]",
        "a stock split; prices and share counts adjust",
        "split 2:1",
    ),
    (
        "combine",
        "combine N:M [on DATE]",
        "a reverse split",
        "combine 1:2",
    ),
    (
        "stock",
        "stock dividend P% [on DATE]",
        "a dividend paid in common stock, a split of (100 + P):100",
        "stock dividend 10%",
    ),
    (
        "ipo",
        "ipo at $P raising AMOUNT [net AMOUNT] [filed DATE] [on DATE]",
        "a public offering: automatic conversions and IPO price adjustments",
        "ipo at $10.00 raising 50M",
    ),
    (
        "conversion",
        "conversion prices",
        "each series' conversion price and ratio as the scenario stands",
        "conversion prices",
    ),
    (
        "convert",
        "convert CLASS [for \"HOLDER\"] [at $FMV]",
        "the common a series (or one holder) receives on conversion, fractions and cash included",
        "convert D at $4.00",
    ),
    (
        "explain",
        "explain conversion price CLASS",
        "how a conversion price came to be, adjustment by adjustment",
        "explain conversion price D",
    ),
    (
        "on",
        "on DATE",
        "moves the scenario to a date (for accruals and dated provisions)",
        "on 2003-06-30",
    ),
    (
        "approve",
        "approve ACTION [at $P per share] [on DATE] [affecting X, Y] [where stockholders keep P%] [with A 70%, B 100%] [and \"HOLDER\" yes]",
        "every consent the action needs and, with votes, whether it passes; a class not named votes against",
        "approve merger with A 70%, B 100%",
    ),
    (
        "votes",
        "votes",
        "each class's votes and voting power",
        "votes",
    ),
    (
        "board",
        "board [of N]",
        "who elects how many directors",
        "board of 7",
    ),
    (
        "declare",
        "declare dividend AMOUNT [to CLASSES] [on DATE]",
        "how a declared dividend is split among the classes",
        "declare dividend 1M",
    ),
    (
        "accrued",
        "accrued [CLASS] [on DATE]",
        "cumulative dividends accrued and unpaid",
        "accrued C on 2003-06-30",
    ),
    (
        "redeem",
        "redeem on DATE [upon transaction] [funds AMOUNT] [requests A 50%, B 100%] [at $FMV]",
        "what a redemption pays each class, and what waits for funds",
        "redeem on 2004-12-31 funds 10M requests A 100%",
    ),
];

/// The help on statement `word`, or `None` if no statement begins so.
pub fn statement(word: &str) -> Option<String> {
    TOPICS
        .iter()
        .find(|t| t.0 == word)
        .map(|(_, form, what, example)| format!("{form}\n  {what}\n  e.g. `{example}`\n"))
}

/// The words `:help` knows as statements.
pub fn words() -> impl Iterator<Item = &'static str> {
    TOPICS.iter().map(|t| t.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every example is a statement that parses, and every statement word
    /// the completer offers has help.
    #[test]
    fn examples_parse_and_every_statement_has_help() {
        for (word, _, _, example) in TOPICS {
            // `compare with` is the REPL's own, read by its own parser.
            let parsed = if *word == "compare" {
                crate::syntax::parse_compare_with(example).is_ok()
            } else {
                crate::syntax::parse_query(example).is_ok()
            };
            assert!(parsed, "{example}");
        }
        for w in super::super::helper::STATEMENTS {
            assert!(statement(w).is_some(), "{w}");
        }
    }
}
