//! The liquidation block and deemed liquidation events.

use super::*;

pub(super) fn liquidation(pair: P) -> Result<Liquidation, Problem> {
    let (cite, clauses, readings) = block(pair.into_inner(), liquidation_clause)?;
    Ok(Liquidation {
        cite,
        clauses,
        readings,
    })
}

pub(super) fn liquidation_clause(rule: Rule, parts: Vec<P>) -> Result<LiquidationClause, Problem> {
    let mut it = parts.into_iter();
    Ok(match rule {
        Rule::seniority => {
            let left = class_list(next(&mut it)?)?;
            let relation = match next(&mut it)?.into_inner().next().map(|p| p.as_rule()) {
                Some(Rule::senior_to) => Relation::SeniorTo,
                Some(Rule::junior_to) => Relation::JuniorTo,
                _ => Relation::PariPassu,
            };
            let right = class_list(next(&mut it)?)?;
            LiquidationClause::Seniority {
                left,
                relation,
                right,
            }
        }
        Rule::preference => {
            let classes = class_list(next(&mut it)?)?;
            let amount = per_share(next(&mut it)?)?;
            let plus_dividends = match it.next() {
                None => PlusDividends::None,
                Some(p) if p.clone().into_inner().next().is_some() => {
                    PlusDividends::AccruedAndDeclared
                }
                Some(_) => PlusDividends::Declared,
            };
            LiquidationClause::Preference {
                classes,
                amount,
                plus_dividends,
            }
        }
        Rule::shortfall => {
            let classes = class_list(next(&mut it)?)?;
            let rule = match next(&mut it)?.into_inner().next().map(|p| p.as_rule()) {
                Some(Rule::by_preference) => ShortfallRule::ByPreference,
                Some(Rule::by_issue_price) => ShortfallRule::ByIssuePrice,
                _ => ShortfallRule::ByShares,
            };
            LiquidationClause::Shortfall { classes, rule }
        }
        Rule::participation => {
            let classes = class_list(next(&mut it)?)?;
            let how = next(&mut it)?;
            let participation = if how.as_rule() == Rule::no_participation {
                Participation::None
            } else {
                let mut cap = None;
                let mut while_under = None;
                let mut split_adjusted = false;
                for p in how.into_inner() {
                    let span = span_of(&p);
                    match p.as_rule() {
                        Rule::cap => {
                            let mut ci = p.into_inner();
                            let amount = per_share(next(&mut ci)?)?;
                            let in_total = ci
                                .next()
                                .and_then(|k| k.into_inner().next())
                                .map(|k| k.as_rule() == Rule::in_total);
                            cap = Some(Spanned {
                                node: Cap { amount, in_total },
                                span,
                            });
                        }
                        Rule::condition => {
                            for c in p.into_inner() {
                                match c.as_rule() {
                                    Rule::split_adjusted => split_adjusted = true,
                                    _ => while_under = Some(multiple(c)?),
                                }
                            }
                        }
                        r => return Err(internal(&format!("unexpected {r:?}"))),
                    }
                }
                Participation::Participates {
                    cap,
                    while_under,
                    split_adjusted,
                }
            };
            LiquidationClause::Participation {
                classes,
                participation,
            }
        }
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

pub(super) fn deemed(pair: P) -> Result<Deemed, Problem> {
    let mut inner = pair.into_inner();
    let name = string(next(&mut inner)?);
    let (cite, clauses, readings) = block(inner, deemed_clause)?;
    Ok(Deemed {
        name,
        cite,
        clauses,
        readings,
    })
}

pub(super) fn deemed_clause(rule: Rule, parts: Vec<P>) -> Result<DeemedClause, Problem> {
    Ok(match rule {
        Rule::deemed_on => DeemedClause::On(
            parts
                .into_iter()
                .map(|p| {
                    let span = span_of(&p);
                    EventKind::from_word(p.as_str())
                        .map(|node| Spanned { node, span })
                        .ok_or_else(|| internal("unknown event kind"))
                })
                .collect::<Result<_, _>>()?,
        ),
        Rule::deemed_election => {
            let mut it = parts.into_iter();
            let threshold = threshold(next(&mut it)?)?;
            let classes = class_list(next(&mut it)?)?;
            DeemedClause::Election { threshold, classes }
        }
        Rule::deemed_unless => DeemedClause::UnlessContinuity,
        other => DeemedClause::Terms(liquidation_clause(other, parts)?),
    })
}

pub(super) fn per_share(pair: P) -> Result<PerShare, Problem> {
    let rule = pair.as_rule();
    let v = next(&mut pair.into_inner())?;
    Ok(match rule {
        Rule::of_issue_price => PerShare::IssuePriceMultiple(multiple(v)?),
        _ => PerShare::Fixed(decimal(v)?),
    })
}
