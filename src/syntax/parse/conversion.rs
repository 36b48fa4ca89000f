//! The conversion block.

use super::*;

pub(super) fn conversion(pair: P) -> Result<Conversion, Problem> {
    let (cite, clauses, readings) = block(pair.into_inner(), conversion_clause)?;
    Ok(Conversion {
        cite,
        clauses,
        readings,
    })
}

pub(super) fn conversion_clause(rule: Rule, parts: Vec<P>) -> Result<ConversionClause, Problem> {
    let mut it = parts.into_iter();
    Ok(match rule {
        Rule::no_conversion => ConversionClause::None(class_list(next(&mut it)?)?),
        Rule::optional_conversion => ConversionClause::Optional(class_list(next(&mut it)?)?),
        Rule::group_conversion => {
            let classes = class_list(next(&mut it)?)?;
            let threshold = threshold(next(&mut it)?)?;
            let electors = class_list(next(&mut it)?)?;
            ConversionClause::Group {
                classes,
                threshold,
                electors,
            }
        }
        Rule::conversion_cash => {
            let mut items = Vec::new();
            let mut plus_dividends = false;
            let mut ahead_of = Vec::new();
            for p in it {
                if p.as_rule() == Rule::plus_dividends {
                    plus_dividends = true;
                    continue;
                }
                if p.as_rule() == Rule::cash_ahead {
                    ahead_of = class_list(next(&mut p.into_inner())?)?;
                    continue;
                }
                let mut ci = p.into_inner();
                let class = class_ref(next(&mut ci)?)?;
                let cash = decimal(next(&mut ci)?)?;
                items.push((class, cash));
            }
            ConversionClause::Cash {
                items,
                plus_dividends,
                ahead_of,
            }
        }
        Rule::cash_shortfall => ConversionClause::CashShortfall,
        Rule::fractional_shares => {
            let mode = fraction_mode(next(&mut it)?);
            ConversionClause::Fractional {
                mode,
                aggregated: it.next().is_some(),
            }
        }
        Rule::automatic_ipo => {
            let classes = class_list(next(&mut it)?)?;
            let tests = it.map(ipo_test).collect::<Result<_, _>>()?;
            ConversionClause::AutomaticIpo { classes, tests }
        }
        Rule::automatic_vote => {
            let classes = class_list(next(&mut it)?)?;
            let threshold = threshold(next(&mut it)?)?;
            let scope_pair = next(&mut next(&mut it)?.into_inner())?;
            let scope = match scope_pair.as_rule() {
                Rule::each_of => VoteScope::Each(class_list(next(&mut scope_pair.into_inner())?)?),
                Rule::one_class => {
                    VoteScope::Each(vec![class_ref(next(&mut scope_pair.into_inner())?)?])
                }
                _ => {
                    let mut si = scope_pair.into_inner();
                    let list = class_list(next(&mut si)?)?;
                    VoteScope::Together(list, si.next().is_some())
                }
            };
            ConversionClause::AutomaticVote {
                classes,
                threshold,
                scope,
            }
        }
        Rule::ipo_ratchet => ConversionClause::IpoRatchet {
            class: class_ref(next(&mut it)?)?,
            below: decimal(next(&mut it)?)?,
            numerator: decimal(next(&mut it)?)?,
        },
        Rule::ipo_reset => {
            let class = class_ref(next(&mut it)?)?;
            let pct = next(&mut it)?;
            let fraction = percent(pct)?;
            let within = duration(next(&mut it)?)?;
            let lower_only = it.next().is_some_and(|p| p.as_rule() == Rule::lower_only);
            ConversionClause::IpoReset {
                class,
                fraction,
                within,
                lower_only,
            }
        }
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

/// A fixed price, or a multiple of a class's price.
pub(super) fn price_minimum(m: P) -> Result<PriceMinimum, Problem> {
    if m.as_rule() == Rule::money {
        return Ok(PriceMinimum::Fixed(decimal(m)?));
    }
    let mut mi = m.into_inner();
    let multiple = self::multiple(next(&mut mi)?)?;
    let basis = match next(&mut mi)?.into_inner().next().map(|b| b.as_rule()) {
        Some(Rule::basis_issue) => PriceBasis::IssuePrice,
        _ => PriceBasis::ConversionPrice,
    };
    let of = mi.next().map(class_ref).transpose()?;
    Ok(PriceMinimum::Multiple {
        multiple,
        basis,
        of,
    })
}

pub(super) fn ipo_test(pair: P) -> Result<Spanned<IpoTest>, Problem> {
    let span = span_of(&pair);
    let test = next(&mut pair.into_inner())?;
    let rule = test.as_rule();
    let mut it = test.into_inner();
    let node = match rule {
        Rule::price_test => {
            let strict = next(&mut it)?.as_str() == ">";
            let minimums = it.map(price_minimum).collect::<Result<_, _>>()?;
            IpoTest::Price { strict, minimums }
        }
        _ => {
            let net = next(&mut it)?.as_str() == "net";
            let strict = next(&mut it)?.as_str() == ">";
            let minimum = amount(next(&mut it)?)?;
            IpoTest::Proceeds {
                net,
                strict,
                minimum,
            }
        }
    };
    Ok(Spanned { node, span })
}

pub(super) fn duration(pair: P) -> Result<Spanned<Duration>, Problem> {
    let span = span_of(&pair);
    let mut it = pair.into_inner();
    let n = decimal(next(&mut it)?)?;
    let count = if n.node.fract().is_zero() {
        u32::try_from(n.node.trunc().mantissa()).ok()
    } else {
        None
    }
    .ok_or_else(|| {
        Problem::new(
            Kind::BadNumber(format!(
                "`{}` is not a whole number of days, months or years",
                n.node
            )),
            n.span,
            "here",
        )
    })?;
    let node = match next(&mut it)?.as_str() {
        "day" | "days" => Duration::Days(count),
        "month" | "months" => Duration::Months(count),
        _ => Duration::Years(count),
    };
    Ok(Spanned { node, span })
}

pub(super) fn fraction_mode(pair: P) -> FractionMode {
    match pair.into_inner().next().map(|p| p.as_rule()) {
        Some(Rule::cash_in_lieu) => FractionMode::CashInLieu,
        Some(Rule::round_nearest) => FractionMode::RoundNearest,
        Some(Rule::round_nearest_tenth) => FractionMode::RoundTenth,
        _ => FractionMode::RoundDown,
    }
}
