//! Statements across exits: a payout, the breakpoints, a curve, a goal seek.

use super::*;

/// `payout $X [as EVENT]`.
pub(super) fn payout(mut inner: Pairs<Rule>) -> Result<Query, Problem> {
    let amount = amount(next(&mut inner)?)?;
    let event = inner.next().map(event_ref).transpose()?;
    Ok(Query::Payout { amount, event })
}

/// `breakpoints [as EVENT] [up to $X]`.
pub(super) fn breakpoints(inner: Pairs<Rule>, span: Span) -> Result<Query, Problem> {
    let (mut event, mut upto) = (None, None);
    for p in inner {
        match p.as_rule() {
            Rule::up_to => upto = Some(amount(next(&mut p.into_inner())?)?),
            _ => event = Some(event_ref(p)?),
        }
    }
    Ok(Query::Breakpoints { event, upto, span })
}

/// `curve $FROM $TO [in N steps | by $STEP] [as EVENT]`.
pub(super) fn curve(mut inner: Pairs<Rule>) -> Result<Query, Problem> {
    let from = amount(next(&mut inner)?)?;
    let to = amount(next(&mut inner)?)?;
    let (mut step, mut event) = (None, None);
    for p in inner {
        match p.as_rule() {
            Rule::curve_steps => {
                step = Some(CurveStep::Steps(decimal(next(&mut p.into_inner())?)?))
            }
            Rule::curve_by => step = Some(CurveStep::By(amount(next(&mut p.into_inner())?)?)),
            _ => event = Some(event_ref(p)?),
        }
    }
    Ok(Query::Curve {
        from,
        to,
        step,
        event,
    })
}

/// `solve exit where X receives $A | Nx its investment | $P per share [as EVENT]`.
pub(super) fn solve(mut inner: Pairs<Rule>) -> Result<Query, Problem> {
    let party = class_ref(next(&mut inner)?)?;
    let mut with = Vec::new();
    let mut t = next(&mut inner)?;
    while t.as_rule() == Rule::named_class {
        with.push(class_ref(t)?);
        t = next(&mut inner)?;
    }
    let span = span_of(&t);
    let node = match t.as_rule() {
        Rule::solve_multiple => SolveTarget::Multiple(multiple(next(&mut t.into_inner())?)?.node),
        Rule::solve_per_share => SolveTarget::PerShare(decimal(next(&mut t.into_inner())?)?.node),
        _ => SolveTarget::Amount(amount(t)?.node),
    };
    let event = inner.next().map(event_ref).transpose()?;
    Ok(Query::Solve {
        party,
        with,
        target: Spanned { node, span },
        event,
    })
}

/// `value (at $EQUITY | solving X at $P per share) volatility P% term N
/// years rate P% [as EVENT]`.
pub(super) fn value(mut inner: Pairs<Rule>) -> Result<Query, Problem> {
    let e = next(&mut inner)?;
    let equity = if e.as_rule() == Rule::value_solving {
        let mut it = e.into_inner();
        let party = class_ref(next(&mut it)?)?;
        let price = decimal(next(&mut it)?)?;
        EquityBasis::Solving { party, price }
    } else {
        EquityBasis::At(amount(e)?)
    };
    let v = next(&mut inner)?;
    let written = v.as_str().to_string();
    let volatility = rate_percent(v)?;
    if volatility.node.is_sign_negative() {
        return Err(Problem::new(
            Kind::BadPercent(written),
            volatility.span,
            "a volatility is never negative",
        )
        .with_help("write the volatility a year as a percentage above zero, such as `55%`"));
    }
    let term = term(next(&mut inner)?, next(&mut inner)?)?;
    let rate = rate_percent(next(&mut inner)?)?;
    let event = inner.next().map(event_ref).transpose()?;
    Ok(Query::Value {
        equity,
        volatility,
        term,
        rate,
        event,
    })
}

/// A term in years, from `N years` or `N months` (a twelfth of a year each).
fn term(number: P, unit: P) -> Result<Spanned<Decimal>, Problem> {
    let span = Span::new(span_of(&number).start, span_of(&unit).end);
    let n = decimal(number)?;
    let node = if unit.as_str().starts_with("month") {
        n.node.checked_div(Decimal::from(12)).ok_or_else(|| {
            Problem::new(
                Kind::NumberTooLarge(n.node.to_string()),
                span,
                "too many months",
            )
        })?
    } else {
        n.node
    };
    Ok(Spanned { node, span })
}

/// A rate or volatility such as `55%`, `4.2%` or `-0.5%`, as a fraction;
/// from -1000% to 1000%.
fn rate_percent(pair: P) -> Result<Spanned<Decimal>, Problem> {
    let span = span_of(&pair);
    let text = pair.as_str().trim_end_matches('%');
    let (negative, digits) = match text.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, text),
    };
    let value = crate::num::parse_digits(digits, span)?;
    let value = if negative {
        Decimal::ZERO.checked_sub(value).unwrap_or_default()
    } else {
        value
    };
    if value.abs() > Decimal::ONE_THOUSAND {
        return Err(Problem::new(
            Kind::BadPercent(pair.as_str().to_string()),
            span,
            "beyond 1000%",
        )
        .with_help("a volatility or rate a year is written as a percentage such as `55%`"));
    }
    let node = value.checked_div(Decimal::ONE_HUNDRED).ok_or_else(|| {
        Problem::new(
            Kind::BadPercent(pair.as_str().to_string()),
            span,
            "not a percentage",
        )
    })?;
    Ok(Spanned { node, span })
}
