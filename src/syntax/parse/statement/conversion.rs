//! Statements about conversion: the prices, a conversion, an explanation.

use super::*;

/// `convert CLASS ["HOLDER"] [at $FMV] [funds $X]`.
pub(super) fn convert(mut inner: Pairs<Rule>) -> Result<Query, Problem> {
    let class = class_ref(next(&mut inner)?)?;
    let (mut holder, mut fmv, mut funds) = (None, None, None);
    for p in inner {
        match p.as_rule() {
            Rule::string => holder = Some(string(p)),
            Rule::convert_funds => funds = Some(amount(next(&mut p.into_inner())?)?),
            _ => fmv = Some(decimal(p)?),
        }
    }
    Ok(Query::Convert {
        class,
        holder,
        fmv,
        funds,
    })
}
