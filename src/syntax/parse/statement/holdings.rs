//! Statements about what holders are paid outside an exit: dividends, redemptions, accruals.

use super::*;

/// `declare dividend $X [to CLASSES] [on DATE]`.
pub(super) fn declare(mut inner: Pairs<Rule>) -> Result<Query, Problem> {
    let amount = amount(next(&mut inner)?)?;
    let (mut to, mut date) = (Vec::new(), None);
    for p in inner {
        match p.as_rule() {
            Rule::declare_to => to = class_list(next(&mut p.into_inner())?)?,
            _ => date = Some(self::date(next(&mut p.into_inner())?)?),
        }
    }
    Ok(Query::Declare { amount, to, date })
}

/// `redeem on DATE [upon transaction] [funds $X] [requests CLASS P%, ...] [at $FMV]`.
pub(super) fn redeem(mut inner: Pairs<Rule>) -> Result<Query, Problem> {
    let date = self::date(next(&mut inner)?)?;
    let (mut funds, mut requests, mut fmv, mut upon_transaction) = (None, Vec::new(), None, false);
    for p in inner {
        match p.as_rule() {
            Rule::redeem_upon => upon_transaction = true,
            Rule::redeem_funds => funds = Some(amount(next(&mut p.into_inner())?)?),
            Rule::redeem_requests => {
                for item in p.into_inner() {
                    let mut it = item.into_inner();
                    let class = class_ref(next(&mut it)?)?;
                    let pct = next(&mut it)?;
                    requests.push((class, percent(pct)?));
                }
            }
            _ => fmv = Some(decimal(p)?),
        }
    }
    Ok(Query::Redeem {
        date,
        funds,
        requests,
        fmv,
        upon_transaction,
    })
}

/// `accrued [CLASS] [on DATE]`.
pub(super) fn accrued(inner: Pairs<Rule>) -> Result<Query, Problem> {
    let (mut class, mut date) = (None, None);
    for p in inner {
        match p.as_rule() {
            Rule::class_ref | Rule::named_class => class = Some(class_ref(p)?),
            _ => date = Some(self::date(next(&mut p.into_inner())?)?),
        }
    }
    Ok(Query::Accrued { class, date })
}
