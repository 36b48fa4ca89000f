//! Scenario events: issuances, grants, splits, stock dividends, an IPO, a date.

use super::*;

/// `issue N CLASS at $P [fees $F] [on DATE] [excluded CATEGORY]`.
pub(super) fn issue(mut inner: Pairs<Rule>) -> Result<Query, Problem> {
    let count = decimal(next(&mut inner)?)?;
    let class = class_ref(next(&mut inner)?)?;
    let price = decimal(next(&mut inner)?)?;
    let (mut fees, mut date, mut excluded) = (None, None, None);
    let (mut unissued, mut increase) = (None, None);
    for p in inner {
        match p.as_rule() {
            Rule::event_fees => fees = Some(amount(next(&mut p.into_inner())?)?),
            Rule::event_date => date = Some(self::date(next(&mut p.into_inner())?)?),
            Rule::unissued_pool => unissued = Some(decimal(next(&mut p.into_inner())?)?),
            Rule::pool_increase => increase = Some(decimal(next(&mut p.into_inner())?)?),
            _ => excluded = Some(text_of(next(&mut p.into_inner())?)),
        }
    }
    Ok(Query::Issue {
        count,
        class,
        price,
        fees,
        date,
        excluded,
        unissued,
        increase,
    })
}

/// `grant N options at $P [vested N] [on DATE] [excluded CATEGORY]`.
pub(super) fn grant(mut inner: Pairs<Rule>) -> Result<Query, Problem> {
    let count = decimal(next(&mut inner)?)?;
    let price = decimal(next(&mut inner)?)?;
    let (mut vested, mut date, mut excluded) = (None, None, None);
    for p in inner {
        match p.as_rule() {
            Rule::vested => vested = Some(decimal(next(&mut p.into_inner())?)?),
            Rule::event_date => date = Some(self::date(next(&mut p.into_inner())?)?),
            _ => excluded = Some(text_of(next(&mut p.into_inner())?)),
        }
    }
    Ok(Query::Grant {
        count,
        price,
        vested,
        date,
        excluded,
    })
}

/// `split N:M [on DATE]` and `combine N:M [on DATE]`.
pub(super) fn split(mut inner: Pairs<Rule>, combine: bool) -> Result<Query, Problem> {
    let r = next(&mut inner)?;
    let span = span_of(&r);
    let (a, b) = r.as_str().split_once(':').unwrap_or(("1", "1"));
    let new = Spanned {
        node: num::parse_digits(a, span)?,
        span,
    };
    let old = Spanned {
        node: num::parse_digits(b, span)?,
        span,
    };
    let date = inner
        .next()
        .map(|p| next(&mut p.into_inner()).and_then(self::date))
        .transpose()?;
    Ok(Query::Split {
        combine,
        new,
        old,
        date,
    })
}

/// `stock dividend P% [on DATE]`: a split of (100 + P) : 100.
pub(super) fn stock_dividend(mut inner: Pairs<Rule>) -> Result<Query, Problem> {
    let p = next(&mut inner)?;
    let span = span_of(&p);
    let pct = num::parse_digits(p.as_str().trim_end_matches('%'), span)?;
    if pct <= Decimal::ZERO {
        return Err(Problem::new(
            Kind::BadNumber("a stock dividend is a percentage above zero".to_string()),
            span,
            "this dividend",
        ));
    }
    let date = inner
        .next()
        .map(|p| next(&mut p.into_inner()).and_then(self::date))
        .transpose()?;
    // A dividend of P% in common is a split of (100 + P) : 100.
    let new = pct.checked_add(Decimal::ONE_HUNDRED).ok_or_else(|| {
        Problem::new(
            Kind::BadNumber(format!("`{pct}%` is too large a stock dividend")),
            span,
            "this dividend",
        )
    })?;
    Ok(Query::Split {
        combine: false,
        new: Spanned { node: new, span },
        old: Spanned {
            node: Decimal::ONE_HUNDRED,
            span,
        },
        date,
    })
}

/// `ipo at $P raising $X [net $N] [filed DATE] [on DATE]`.
pub(super) fn ipo(mut inner: Pairs<Rule>) -> Result<Query, Problem> {
    let price = decimal(next(&mut inner)?)?;
    let gross = amount(next(&mut inner)?)?;
    let (mut net, mut filed, mut date) = (None, None, None);
    for p in inner {
        match p.as_rule() {
            Rule::ipo_net => net = Some(amount(next(&mut p.into_inner())?)?),
            Rule::ipo_filed => filed = Some(self::date(next(&mut p.into_inner())?)?),
            _ => date = Some(self::date(next(&mut p.into_inner())?)?),
        }
    }
    Ok(Query::Ipo {
        price,
        gross,
        net,
        filed,
        date,
    })
}
