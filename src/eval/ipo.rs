//! An initial public offering: conversion price resets tied to the filing
//! date, automatic conversion of the series whose tests the offering passes
//! (at the greater of two ratios where the charter says so), and then the
//! offering's own shares, which may adjust the prices of series that did not
//! convert.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::antidilution::{self, Issuance};
use super::scenario::{Adjustment, Scenario, add, at, price_text, words};
use crate::diagnostic::{Kind, Problem};
use crate::ir::{Cite, ClassId, IpoTest, PriceBasis, PriceMinimum};
use crate::num::{self, Checked};
use crate::syntax::ast::Spanned;

/// The offering as stated.
#[derive(Debug, Clone)]
pub struct Offering<'a> {
    /// Price per share.
    pub price: &'a Spanned<Decimal>,
    /// Gross proceeds.
    pub gross: &'a Spanned<Decimal>,
    /// Net proceeds, if given.
    pub net: Option<&'a Spanned<Decimal>>,
    /// Filing date of the registration statement, if given.
    pub filed: Option<&'a Spanned<NaiveDate>>,
    /// Closing date, if given.
    pub date: Option<&'a Spanned<NaiveDate>>,
}

/// One test of the offering, as it came out.
#[derive(Debug, Clone)]
pub struct TestResult {
    /// The test in words, with the figures.
    pub text: String,
    /// Whether it passed.
    pub passed: bool,
}

/// What the offering did to one series.
#[derive(Debug, Clone)]
pub struct SeriesOutcome {
    /// The class.
    pub class: ClassId,
    /// Display name.
    pub name: String,
    /// Whether it converted automatically.
    pub converts: bool,
    /// Each rule it falls under, with its tests.
    pub rules: Vec<(Cite, Vec<TestResult>)>,
    /// The ratio it converted at (or would).
    pub ratio: Decimal,
    /// How the ratio was chosen, where a ratchet applied.
    pub ratio_note: Option<String>,
    /// Common shares received by the whole series.
    pub common_shares: Decimal,
    /// Cash received on conversion by the whole series.
    pub cash: Decimal,
}

/// The answer to `ipo at $P raising $X`.
#[derive(Debug, Clone)]
pub struct IpoOutcome {
    /// Price per share.
    pub price: Decimal,
    /// Gross proceeds.
    pub gross: Decimal,
    /// Net proceeds, if given.
    pub net: Option<Decimal>,
    /// Shares sold.
    pub shares_sold: Decimal,
    /// Resets applied before conversion.
    pub resets: Vec<Adjustment>,
    /// Each preferred series.
    pub series: Vec<SeriesOutcome>,
    /// Adjustments the offering's shares made to series that did not convert.
    pub adjustments: Vec<Adjustment>,
}

/// Applies an offering to the scenario.
pub fn apply(s: &mut Scenario, o: &Offering, text: &str) -> Result<IpoOutcome, Problem> {
    let span = o.price.span;
    let fail = |k: Kind| at(k, span);
    if o.price.node <= Decimal::ZERO {
        return Err(Problem::new(
            Kind::BadNumber("an offering price must be above zero".to_string()),
            span,
            "this price",
        ));
    }
    let date = s.advance(o.date, text)?;
    let log_start = s.log.len();
    // Resets first, then which series convert at the prices reset, then the
    // offering's own shares for the series that remain.
    resets(s, o, text, date)?;
    let resets: Vec<Adjustment> = s.log.get(log_start..).unwrap_or(&[]).to_vec();
    let mut series = which_convert(s, o)?;
    // The converting series' shares become common, holders with them.
    for out in series.iter_mut().filter(|x| x.converts) {
        (out.common_shares, out.cash) = s
            .convert_all(out.class, out.ratio, "on the offering")
            .map_err(fail)?;
    }
    let (shares_sold, adjustments) = sell(s, o, text, date, &series)?;
    s.events.push(text.to_string());
    Ok(IpoOutcome {
        price: o.price.node,
        gross: o.gross.node,
        net: o.net.map(|n| n.node),
        shares_sold,
        resets,
        series,
        adjustments,
    })
}

/// Resets by filing window: for each class with resets, the narrowest
/// window containing the filing date.
fn resets(s: &mut Scenario, o: &Offering, text: &str, date: NaiveDate) -> Result<(), Problem> {
    let mut reset_classes: Vec<ClassId> = s
        .charter
        .conversion
        .ipo_resets
        .iter()
        .map(|r| r.class)
        .collect();
    reset_classes.dedup();
    for c in reset_classes {
        reset(s, o, text, date, c)?;
    }
    Ok(())
}

/// Class `c`'s reset, where the filing date falls in one of its windows.
fn reset(
    s: &mut Scenario,
    o: &Offering,
    text: &str,
    date: NaiveDate,
    c: ClassId,
) -> Result<(), Problem> {
    let fail = |k: Kind| at(k, o.price.span);
    let Some(filed) = o.filed else {
        return Err(Problem::new(
            Kind::MissingFact(format!(
                "the conversion price of `{}` depends on when the registration statement is filed",
                s.name(c)
            )),
            o.gross.span,
            "no filing date given",
        )
        .with_help("add `filed YYYY-MM-DD` to the `ipo` statement"));
    };
    let issued = s
        .charter
        .classes
        .get(c)
        .and_then(|x| x.issued)
        .unwrap_or_default();
    let mut tiers: Vec<(NaiveDate, &crate::ir::IpoReset)> = s
        .charter
        .conversion
        .ipo_resets
        .iter()
        .filter(|r| r.class == c)
        .filter_map(|r| add(issued, r.within).map(|end| (end, r)))
        .collect();
    tiers.sort_by_key(|t| t.0);
    let Some((end, reset)) = tiers
        .into_iter()
        .find(|(end, _)| filed.node <= *end)
        .map(|(e, r)| (e, r.clone()))
    else {
        return Ok(());
    };
    let before = s.price(c);
    let reset_to = reset
        .fraction
        .mul(o.price.node, "reset price")
        .map_err(fail)?;
    // A reset that may only lower leaves a lower price where it is.
    let after = if reset.lower_only && reset_to >= before {
        before
    } else {
        reset_to
    };
    s.set_price(c, after)?;
    s.log.push(Adjustment {
        class: c,
        event: text.to_string(),
        date,
        before,
        after,
        kind: "reset on the offering".to_string(),
        steps: vec![
            format!(
                "filed {} — within {} of original issue on {issued} (by {end})",
                filed.node,
                words(reset.within)
            ),
            if after == reset_to {
                format!(
                    "{} of the offering price {} = {}",
                    crate::num::percent(reset.fraction),
                    price_text(o.price.node),
                    price_text(after)
                )
            } else {
                format!(
                    "{} of the offering price {} = {} is not lower: the price stays {}",
                    crate::num::percent(reset.fraction),
                    price_text(o.price.node),
                    price_text(reset_to),
                    price_text(after)
                )
            },
        ],
        cite: reset.cite.clone(),
    });
    Ok(())
}
/// Which series convert: each preferred series still outstanding, with the
/// automatic-conversion rules it falls under and their tests, and the ratio
/// it converts at.
fn which_convert(s: &Scenario, o: &Offering) -> Result<Vec<SeriesOutcome>, Problem> {
    let mut series = Vec::new();
    for (c, class) in s.charter.classes.iter().enumerate() {
        if class.common
            || class.outstanding.is_zero()
            || s.converted.get(c).is_some_and(|x| x.is_some())
        {
            continue;
        }
        let mut rules = Vec::new();
        let mut converts = false;
        for rule in s
            .charter
            .conversion
            .automatic_ipo
            .iter()
            .filter(|r| r.classes.contains(&c))
        {
            let mut results = Vec::new();
            for t in &rule.tests {
                results.push(test(s, c, t, o)?);
            }
            converts |= results.iter().all(|r| r.passed);
            rules.push((rule.cite.clone(), results));
        }
        let usual = class.ratio.unwrap_or(Decimal::ONE);
        let (ratio, ratio_note) = ratchet_ratio(s, o, c, usual).map_err(|k| at(k, o.price.span))?;
        series.push(SeriesOutcome {
            class: c,
            name: class.name.clone(),
            converts,
            rules,
            ratio,
            ratio_note,
            common_shares: Decimal::ZERO,
            cash: Decimal::ZERO,
        });
    }
    Ok(series)
}

/// The ratio class `c` converts at: the greater of the usual one and the
/// offering's, where an IPO ratchet applies below its price, and how it was
/// chosen.
fn ratchet_ratio(
    s: &Scenario,
    o: &Offering,
    c: ClassId,
    usual: Decimal,
) -> Result<(Decimal, Option<String>), Kind> {
    let Some(r) = s
        .charter
        .conversion
        .ipo_ratchets
        .iter()
        .find(|r| r.class == c)
    else {
        return Ok((usual, None));
    };
    let below = r
        .below
        .mul(s.split.1, "adjusted price")?
        .div(s.split.0, "adjusted price")?;
    if o.price.node >= below {
        return Ok((usual, None));
    }
    let numerator = r
        .numerator
        .mul(s.split.1, "adjusted price")?
        .div(s.split.0, "adjusted price")?;
    let offered = numerator.div(o.price.node, "offering ratio")?;
    let ratio = offered.max(usual);
    let note = format!(
        "price {} is below {}: the greater of {} / {} = {} and the usual ratio {} is {}{}",
        price_text(o.price.node),
        price_text(below),
        price_text(numerator),
        price_text(o.price.node),
        num::plain(offered.round_dp(6)),
        num::plain(usual.round_dp(6)),
        num::plain(ratio.round_dp(6)),
        r.cite.paren()
    );
    Ok((ratio, Some(note)))
}

/// The offering's own shares: through anti-dilution for the series that
/// remain, then added to common. The shares sold, and the adjustments.
fn sell(
    s: &mut Scenario,
    o: &Offering,
    text: &str,
    date: NaiveDate,
    series: &[SeriesOutcome],
) -> Result<(Decimal, Vec<Adjustment>), Problem> {
    let span = o.price.span;
    let fail = |k: Kind| at(k, span);
    let qualified = series.iter().any(|x| {
        x.rules
            .iter()
            .any(|(_, tests)| tests.iter().all(|t| t.passed))
    });
    let shares_sold = o
        .gross
        .node
        .div(o.price.node, "shares sold")
        .map_err(fail)?;
    let fees = match o.net {
        Some(n) => o.gross.node.sub(n.node, "underwriting").map_err(fail)?,
        None => Decimal::ZERO,
    };
    let before_issue = s.log.len();
    antidilution::adjust(
        s,
        &Issuance {
            shares: shares_sold,
            gross: o.gross.node,
            fees,
            excluded: None,
            // An offering that meets every test of an automatic conversion
            // on IPO is the charter's qualified one (SCC § 2(a)(x), §
            // 4(e)(i)(B)): `excluded qualified-ipo` reaches it alone,
            // `excluded ipo` every offering.
            implicit: if qualified {
                &["qualified-ipo", "ipo"]
            } else {
                &["ipo"]
            },
            span,
            text,
            date,
        },
    )?;
    if let Some(cc) = s.common()
        && let Some(x) = Arc::make_mut(&mut s.charter).classes.get_mut(cc)
    {
        x.outstanding = x
            .outstanding
            .add(shares_sold, "common after the offering")
            .map_err(fail)?;
    }
    let adjustments = s.log.get(before_issue..).unwrap_or(&[]).to_vec();
    Ok((shares_sold, adjustments))
}

/// A price test's minimum for class `c`'s conversion, in words.
fn minimum(s: &Scenario, c: ClassId, m: &PriceMinimum) -> Result<(Decimal, String), Kind> {
    Ok(match m {
        PriceMinimum::Fixed(p) => {
            let adjusted = p
                .mul(s.split.1, "adjusted price")
                .and_then(|x| x.div(s.split.0, "adjusted price"))?;
            let what = if s.split.0 == s.split.1 {
                price_text(*p)
            } else {
                format!("{} as adjusted for splits", price_text(adjusted))
            };
            (adjusted, what)
        }
        PriceMinimum::Multiple {
            multiple,
            basis,
            of,
        } => {
            let whose = of.unwrap_or(c);
            let (base, label) = match basis {
                PriceBasis::ConversionPrice => (s.price(whose), "conversion price"),
                PriceBasis::IssuePrice => {
                    let now = s.charter.classes.get(whose).and_then(|x| x.issue_price);
                    let written = s.original.classes.get(whose).and_then(|x| x.issue_price);
                    (
                        now.unwrap_or_default(),
                        if now == written {
                            "original issue price"
                        } else {
                            "original issue price as adjusted"
                        },
                    )
                }
            };
            let min = multiple.mul(base, "price test")?;
            (
                min,
                format!(
                    "{}x the {} {label} {} = {}",
                    multiple.normalize(),
                    s.name(whose),
                    price_text(base),
                    price_text(min)
                ),
            )
        }
    })
}

fn test(s: &Scenario, c: ClassId, t: &IpoTest, o: &Offering) -> Result<TestResult, Problem> {
    let fail = |k: Kind| at(k, o.price.span);
    let cmp = |strict: bool| if strict { ">" } else { "≥" };
    Ok(match t {
        IpoTest::Price { strict, minimums } => {
            let mut passed = false;
            let mut whats = Vec::with_capacity(minimums.len());
            for m in minimums {
                let (min, what) = minimum(s, c, m).map_err(fail)?;
                passed |= if *strict {
                    o.price.node > min
                } else {
                    o.price.node >= min
                };
                whats.push(what);
            }
            TestResult {
                text: format!(
                    "price {} {} {}",
                    price_text(o.price.node),
                    cmp(*strict),
                    whats.join(" or ")
                ),
                passed,
            }
        }
        IpoTest::Proceeds {
            net,
            strict,
            minimum,
        } => {
            let actual = if *net {
                match o.net {
                    Some(n) => n.node,
                    None => {
                        return Err(Problem::new(
                            Kind::MissingFact("the charter tests the offering's net proceeds, which were not given".to_string()),
                            o.gross.span,
                            "gross proceeds only",
                        )
                        .with_help("add `net $X` after the gross proceeds"));
                    }
                }
            } else {
                o.gross.node
            };
            let passed = if *strict {
                actual > *minimum
            } else {
                actual >= *minimum
            };
            TestResult {
                text: format!(
                    "{} proceeds {} {} {}",
                    if *net { "net" } else { "gross" },
                    num::dollars(actual),
                    cmp(*strict),
                    num::dollars(*minimum)
                ),
                passed,
            }
        }
    })
}
