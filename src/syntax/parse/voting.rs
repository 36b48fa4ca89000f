//! The voting and protective-provision blocks.

use super::*;

pub(super) fn voting_clause(rule: Rule, parts: Vec<P>) -> Result<VotingClause, Problem> {
    let mut it = parts.into_iter();
    Ok(match rule {
        Rule::votes_per_share => VotingClause::Votes {
            classes: class_list(next(&mut it)?)?,
            per_share: decimal(next(&mut it)?)?,
            as_converted: it.next().is_some(),
        },
        Rule::non_voting => VotingClause::NonVoting(class_list(next(&mut it)?)?),
        Rule::fractional_votes => {
            let mode = fraction_mode(next(&mut it)?);
            VotingClause::Fractional {
                mode,
                aggregated: it.next().is_some(),
            }
        }
        Rule::board_seats => VotingClause::Board(it.map(seat).collect::<Result<_, _>>()?),
        Rule::cumulative_voting => VotingClause::Cumulative,
        Rule::voting_shift => VotingClause::Shift {
            minimum: decimal(next(&mut it)?)?,
            seats: it.map(seat).collect::<Result<_, _>>()?,
        },
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

pub(super) fn seat(pair: P) -> Result<Spanned<Seat>, Problem> {
    let span = span_of(&pair);
    let mut it = pair.into_inner();
    let mut electors_pair = next(&mut it)?.into_inner();
    let electors = class_list(next(&mut electors_pair)?)?;
    let as_converted = electors_pair.next().is_some();
    let c = next(&mut it)?;
    let count = match c.as_rule() {
        Rule::seat_rest => SeatCount::Rest,
        Rule::seat_count => SeatCount::Fixed(decimal(next(&mut c.into_inner())?)?),
        _ => {
            let f = next(&mut c.into_inner())?;
            let fspan = span_of(&f);
            let (n, d) = f.as_str().split_once('/').unwrap_or(("0", "1"));
            let n = num::parse_digits(n, fspan)?;
            let d = num::parse_digits(d, fspan)?;
            if d.is_zero() || n > d {
                return Err(Problem::new(
                    Kind::BadPercent(f.as_str().to_string()),
                    fspan,
                    "not a fraction of the board",
                ));
            }
            SeatCount::Share(Spanned {
                node: (n, d),
                span: fspan,
            })
        }
    };
    Ok(Spanned {
        node: Seat {
            electors,
            as_converted,
            count,
        },
        span,
    })
}

pub(super) fn protective_clause(rule: Rule, parts: Vec<P>) -> Result<ProtectiveClause, Problem> {
    let mut it = parts.into_iter();
    Ok(match rule {
        Rule::action_definition => ProtectiveClause::Action {
            name: text_of(next(&mut it)?),
            description: string(next(&mut it)?),
        },
        Rule::consent => {
            let (mut parts, mut conditions, mut actions) = (Vec::new(), Vec::new(), Vec::new());
            for p in it {
                let span = span_of(&p);
                match p.as_rule() {
                    Rule::consent_part => parts.push(Spanned {
                        node: consent_part(p)?,
                        span,
                    }),
                    Rule::action_list => actions = p.into_inner().map(text_of).collect(),
                    _ => conditions.push(Spanned {
                        node: consent_condition(p)?,
                        span,
                    }),
                }
            }
            ProtectiveClause::Consent {
                parts,
                conditions,
                actions,
            }
        }
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

pub(super) fn consent_part(pair: P) -> Result<ConsentPart, Problem> {
    let mut it = pair.into_inner();
    let threshold = threshold(next(&mut it)?)?;
    let g = next(&mut next(&mut it)?.into_inner())?;
    let rule = g.as_rule();
    let mut gi = g.into_inner();
    let mut basis = None;
    let mut list = Vec::new();
    for p in gi.by_ref() {
        match p.as_rule() {
            Rule::class_list => list = class_list(p)?,
            _ => {
                basis = Some(match p.into_inner().next().map(|b| b.as_rule()) {
                    Some(Rule::basis_converted) => VoteBasis::AsConverted,
                    Some(Rule::basis_power) => VoteBasis::VotingPower,
                    _ => VoteBasis::Shares,
                })
            }
        }
    }
    let group = match rule {
        Rule::consent_each => ConsentGroup::Each(list),
        Rule::consent_affected => ConsentGroup::Affected,
        _ => ConsentGroup::Together(list),
    };
    Ok(ConsentPart {
        threshold,
        group,
        basis,
    })
}

pub(super) fn consent_condition(pair: P) -> Result<ConsentCondition, Problem> {
    let rule = pair.as_rule();
    let mut it = pair.into_inner();
    Ok(match rule {
        Rule::while_more_than => ConsentCondition::MoreThan {
            count: decimal(next(&mut it)?)?,
            classes: class_list(next(&mut it)?)?,
        },
        Rule::while_at_least => ConsentCondition::AtLeast {
            count: decimal(next(&mut it)?)?,
            classes: class_list(next(&mut it)?)?,
        },
        Rule::while_any => ConsentCondition::Any(class_list(next(&mut it)?)?),
        Rule::including_holders => {
            let mut holders = Vec::new();
            let mut rest = Vec::new();
            for p in it {
                if p.as_rule() == Rule::string {
                    holders.push(string(p));
                } else {
                    rest.push(p);
                }
            }
            let mut r = rest.into_iter();
            let pct = next(&mut r)?;
            ConsentCondition::Including {
                holders,
                share: percent(pct)?,
                class: class_ref(next(&mut r)?)?,
            }
        }
        Rule::unless_kept => {
            let pct = next(&mut it)?;
            ConsentCondition::UnlessKept(percent(pct)?)
        }
        _ => {
            let multiple = self::multiple(next(&mut it)?)?;
            let class = class_ref(next(&mut it)?)?;
            let until = match it.next() {
                Some(d) => Some((date(d)?, self::multiple(next(&mut it)?)?)),
                None => None,
            };
            ConsentCondition::Price {
                multiple,
                class,
                until,
            }
        }
    })
}

pub(super) fn threshold(pair: P) -> Result<Threshold, Problem> {
    let p = next(&mut pair.into_inner())?;
    Ok(match p.as_rule() {
        Rule::majority => Threshold::Majority,
        Rule::ratio_fraction => {
            let span = span_of(&p);
            let (n, d) = p.as_str().split_once('/').unwrap_or(("0", "1"));
            let n = num::parse_digits(n, span)?;
            let d = num::parse_digits(d, span)?;
            if d.is_zero() || n > d {
                return Err(Problem::new(
                    Kind::BadPercent(p.as_str().to_string()),
                    span,
                    "not a fraction between 0 and 1",
                )
                .with_help("write a fraction of holders such as `2/3`"));
            }
            Threshold::Fraction(Spanned { node: (n, d), span })
        }
        _ => {
            let span = span_of(&p);
            Threshold::Percent(Spanned {
                node: num::parse_percent(p.as_str(), span)?,
                span,
            })
        }
    })
}
