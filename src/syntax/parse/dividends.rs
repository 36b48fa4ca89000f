//! The dividends block.

use super::*;

pub(super) fn dividend_clause(rule: Rule, parts: Vec<P>) -> Result<DividendClause, Problem> {
    let mut it = parts.into_iter();
    Ok(match rule {
        Rule::dividend_rates => {
            let mut items = Vec::new();
            let mut from_first = false;
            for item in it {
                if item.as_rule() == Rule::year_from_first {
                    from_first = true;
                    continue;
                }
                let mut ci = item.into_inner();
                items.push((class_ref(next(&mut ci)?)?, decimal(next(&mut ci)?)?));
            }
            DividendClause::Rates { items, from_first }
        }
        Rule::cumulative_dividend => {
            let class = class_ref(next(&mut it)?)?;
            let p = next(&mut it)?;
            let rate = percent(p)?;
            let day_count = match next(&mut it)?.into_inner().next().map(|k| k.as_rule()) {
                Some(Rule::actual_actual) => DayCount::ActualActual,
                _ => DayCount::Actual365,
            };
            let compounding = next(&mut it)?.into_inner().next().map(|k| k.as_rule())
                == Some(Rule::compounding_accrual);
            DividendClause::Cumulative {
                class,
                rate,
                day_count,
                compounding,
            }
        }
        Rule::dividend_priority => DividendClause::Priority {
            first: class_list(next(&mut it)?)?,
            then: class_list(next(&mut it)?)?,
        },
        Rule::dividend_sharing => DividendClause::Sharing(class_list(next(&mut it)?)?),
        Rule::dividend_beyond => DividendClause::Beyond(class_list(next(&mut it)?)?),
        Rule::dividend_greater => DividendClause::Greater {
            classes: class_list(next(&mut it)?)?,
            common: class_ref(next(&mut it)?)?,
        },
        Rule::dividend_blocker => DividendClause::Blocker {
            common: class_ref(next(&mut it)?)?,
            preferred: class_list(next(&mut it)?)?,
        },
        Rule::dividend_waiver => DividendClause::Waiver {
            class: class_ref(next(&mut it)?)?,
            half_above: multiple(next(&mut it)?)?,
            all_at: multiple(next(&mut it)?)?,
        },
        Rule::dividend_in_kind => DividendClause::InKind {
            class: class_ref(next(&mut it)?)?,
            shares_of: class_ref(next(&mut it)?)?,
        },
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}
