//! The redemption block.

use super::*;

pub(super) fn redemption_clause(rule: Rule, parts: Vec<P>) -> Result<RedemptionClause, Problem> {
    let mut it = parts.into_iter();
    Ok(match rule {
        Rule::redemption_schedule => {
            let classes = class_list(next(&mut it)?)?;
            let trigger = next(&mut next(&mut it)?.into_inner())?;
            let election = if trigger.as_rule() == Rule::class_election {
                let mut ti = trigger.into_inner();
                let t = threshold(next(&mut ti)?)?;
                Some((t, class_list(next(&mut ti)?)?))
            } else {
                None
            };
            let mut tranches = Vec::new();
            for t in it {
                tranches.push(tranche(t)?);
            }
            RedemptionClause::Schedule {
                classes,
                election,
                tranches,
            }
        }
        Rule::redemption_price => RedemptionClause::Price {
            classes: class_list(next(&mut it)?)?,
            greater_of_value: next(&mut it)?.as_rule() == Rule::price_greater,
        },
        Rule::redemption_order => RedemptionClause::Order {
            first: class_list(next(&mut it)?)?,
            then: class_list(next(&mut it)?)?,
        },
        Rule::redemption_before_offering => RedemptionClause::BeforeOffering,
        Rule::redemption_shortfall => RedemptionClause::Shortfall {
            by_amount: next(&mut it)?.as_rule() == Rule::by_amount,
        },
        Rule::redemption_penalty => {
            let rate = percent(next(&mut it)?)?;
            let part_year = it
                .find(|p| p.as_rule() == Rule::part_year)
                .and_then(|p| p.into_inner().next())
                .map(|p| match p.as_rule() {
                    Rule::part_not_counted => PartYear::NotCounted,
                    _ => PartYear::ProRata,
                });
            RedemptionClause::Penalty { rate, part_year }
        }
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

/// One tranche of a schedule: `up to 1/3 [plus carry-over | in all] on DATE`,
/// `all on 7 years after original issue`, `all on a transaction ...`.
fn tranche(t: P) -> Result<Spanned<Tranche>, Problem> {
    let span = span_of(&t);
    let mut ti = t.into_inner();
    let amount = next(&mut ti)?;
    let (fraction, carry_over) = if amount.as_rule() == Rule::tranche_all {
        (None, Carry::None)
    } else {
        let mut ai = amount.into_inner();
        let f = next(&mut ai)?;
        let fspan = span_of(&f);
        let frac = if f.as_rule() == Rule::percent {
            (
                // At most 1 (100%): the product fits.
                num::parse_percent(f.as_str(), fspan)?.saturating_mul(Decimal::ONE_HUNDRED),
                Decimal::ONE_HUNDRED,
            )
        } else {
            let (n, d) = f.as_str().split_once('/').unwrap_or(("0", "1"));
            let (n, d) = (num::parse_digits(n, fspan)?, num::parse_digits(d, fspan)?);
            if d.is_zero() || n > d {
                return Err(Problem::new(
                    Kind::BadPercent(f.as_str().to_string()),
                    fspan,
                    "not a fraction of the shares",
                ));
            }
            (n, d)
        };
        let carry = match ai.next() {
            None => Carry::None,
            Some(c) if c.as_rule() == Rule::in_all => Carry::InAll,
            Some(c) => match c.into_inner().next() {
                Some(_) => Carry::AllEligible,
                None => Carry::Unredeemed,
            },
        };
        (Some(frac), carry)
    };
    let w = next(&mut ti)?;
    let when = if w.as_rule() == Rule::date {
        When::Date(date(w)?.node)
    } else if w.as_rule() == Rule::upon_transaction {
        When::Transaction
    } else {
        let n = decimal(next(&mut w.into_inner())?)?;
        When::Anniversary(u32::try_from(n.node.trunc().mantissa()).unwrap_or(0))
    };
    Ok(Spanned {
        node: Tranche {
            fraction,
            carry_over,
            when,
        },
        span,
    })
}
