//! Statements about consents: an approval, the votes, the board.

use super::*;

/// `approve ACTION [at $P per share] [on DATE] [affecting ...] [where stockholders keep P%] [with CLASS P%, ... [and "HOLDER" yes|no]]`.
pub(super) fn approve(mut inner: Pairs<Rule>) -> Result<Query, Problem> {
    let action = text_of(next(&mut inner)?);
    let (mut price, mut date, mut affecting) = (None, None, Vec::new());
    let mut kept = None;
    let (mut votes, mut holders, mut counted) = (Vec::new(), Vec::new(), false);
    for p in inner {
        match p.as_rule() {
            Rule::approve_price => price = Some(decimal(next(&mut p.into_inner())?)?),
            Rule::event_date => date = Some(self::date(next(&mut p.into_inner())?)?),
            Rule::approve_affecting => affecting = class_list(next(&mut p.into_inner())?)?,
            Rule::approve_kept => {
                let pct = next(&mut p.into_inner())?;
                kept = Some(percent(pct)?);
            }
            Rule::vote_item => {
                counted = true;
                let mut it = p.into_inner();
                let class = class_ref(next(&mut it)?)?;
                let pct = next(&mut it)?;
                votes.push((class, percent(pct)?));
            }
            _ => {
                for h in p.into_inner() {
                    let mut it = h.into_inner();
                    let name = string(next(&mut it)?);
                    holders.push((name, next(&mut it)?.as_str() == "yes"));
                }
            }
        }
    }
    Ok(Query::Approve {
        action,
        price,
        date,
        affecting,
        kept,
        votes,
        holders,
        counted,
    })
}
