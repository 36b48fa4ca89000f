//! The anti-dilution block.

use super::*;

pub(super) fn antidilution(pair: P) -> Result<AntiDilution, Problem> {
    let mut inner = pair.into_inner();
    let classes = class_list(next(&mut inner)?)?;
    let (cite, clauses, readings) = block(inner, antidilution_clause)?;
    Ok(AntiDilution {
        classes,
        cite,
        clauses,
        readings,
    })
}

pub(super) fn antidilution_clause(
    rule: Rule,
    parts: Vec<P>,
) -> Result<AntiDilutionClause, Problem> {
    let mut it = parts.into_iter();
    Ok(match rule {
        Rule::weighted_average => AntiDilutionClause::WeightedAverage(
            it.map(|b| {
                let span = span_of(&b);
                let node = match b.into_inner().next().map(|x| x.as_rule()) {
                    Some(Rule::basis_common) => Basis::Common,
                    Some(Rule::basis_preferred) => Basis::Preferred,
                    Some(Rule::basis_vested_options) => Basis::VestedOptions,
                    Some(Rule::basis_options) => Basis::Options,
                    _ => Basis::Convertibles,
                };
                Spanned { node, span }
            })
            .collect(),
        ),
        Rule::full_ratchet => {
            let mut classes = Vec::new();
            let mut window = None;
            for p in it {
                match p.as_rule() {
                    Rule::class_list => classes = class_list(p)?,
                    _ => window = Some(duration(p)?),
                }
            }
            AntiDilutionClause::FullRatchet { classes, window }
        }
        Rule::rounding => {
            let mut weighted_only = false;
            let mut share_tenths = false;
            let mut unit = RoundingUnit::Cent;
            for p in it {
                match p.as_rule() {
                    Rule::rounding_scope => weighted_only = true,
                    Rule::share_tenths => share_tenths = true,
                    Rule::hundredth_cent => unit = RoundingUnit::HundredthCent,
                    _ => unit = RoundingUnit::Cent,
                }
            }
            AntiDilutionClause::Rounding {
                unit,
                weighted_only,
                share_tenths,
            }
        }
        Rule::excluded => {
            let category = text_of(next(&mut it)?);
            let cap = it.next().map(decimal).transpose()?;
            AntiDilutionClause::Excluded { category, cap }
        }
        Rule::minimum_adjustment => {
            let amount = decimal(next(&mut it)?)?;
            let carry = it.next().map(duration).transpose()?;
            AntiDilutionClause::MinimumAdjustment { amount, carry }
        }
        Rule::consideration => AntiDilutionClause::Consideration {
            net: next(&mut it)?.as_rule() == Rule::net_of_fees,
        },
        Rule::splits => AntiDilutionClause::Splits,
        Rule::issue_price_follows => {
            let follows = it.next().filter(|p| p.as_rule() == Rule::follows_splits);
            AntiDilutionClause::IssuePriceFollows {
                splits_only: follows.is_some(),
                own_series: follows
                    .is_some_and(|p| p.into_inner().any(|q| q.as_rule() == Rule::own_series)),
            }
        }
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}
