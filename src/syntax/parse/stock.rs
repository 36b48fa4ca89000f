//! The header, `stock` blocks, holders and option pools.

use super::*;

pub(super) fn header(pair: P) -> Result<Header, Problem> {
    let mut inner = pair.into_inner();
    let company = string(next(&mut inner)?);
    let mut h = Header {
        company,
        filed: None,
        jurisdiction: None,
        source: None,
        cite: None,
    };
    for p in inner {
        match p.as_rule() {
            Rule::section => h.cite = Some(section(p)),
            Rule::filed => h.filed = Some(date(next(&mut p.into_inner())?)?),
            Rule::jurisdiction => {
                let v = next(&mut p.into_inner())?;
                h.jurisdiction = Some(if v.as_rule() == Rule::string {
                    string(v)
                } else {
                    text_of(v)
                });
            }
            Rule::source_doc => h.source = Some(string(next(&mut p.into_inner())?)),
            r => return Err(internal(&format!("unexpected {r:?}"))),
        }
    }
    Ok(h)
}

/// A block that names a class — `stock`, `safe`, `note` — read the same
/// way: its short name, display name, section and fields in order.
type Named<F> = (
    Spanned<String>,
    Option<Spanned<String>>,
    Cite,
    Vec<Spanned<F>>,
);

fn named_block<F>(pair: P, field: fn(P) -> Result<F, Problem>) -> Result<Named<F>, Problem> {
    let mut inner = pair.into_inner();
    let ident = text_of(next(&mut inner)?);
    let (mut display, mut cite, mut fields) = (None, None, Vec::new());
    for p in inner {
        match p.as_rule() {
            Rule::string => display = Some(string(p)),
            Rule::section => cite = Some(section(p)),
            _ => {
                let span = span_of(&p);
                fields.push(Spanned {
                    node: field(p)?,
                    span,
                });
            }
        }
    }
    // Room for the fields written, not for four: see `block`.
    fields.shrink_to_fit();
    Ok((ident, display, cite, fields))
}

pub(super) fn stock(pair: P) -> Result<Stock, Problem> {
    let (ident, display, cite, fields) = named_block(pair, stock_field)?;
    Ok(Stock {
        ident,
        display,
        cite,
        fields,
    })
}

pub(super) fn stock_field(pair: P) -> Result<StockField, Problem> {
    let rule = pair.as_rule();
    let mut inner = pair.into_inner();
    let first = inner.next();
    let cite = inner.next().map(section).or_else(|| {
        first
            .as_ref()
            .filter(|f| f.as_rule() == Rule::section)
            .map(|f| section(f.clone()))
    });
    let value = |f: Option<P>| -> Result<Spanned<Decimal>, Problem> {
        let f = f.ok_or_else(|| internal("missing value"))?;
        decimal(f)
    };
    Ok(match rule {
        Rule::kind_common => StockField::Kind(StockKind::Common, cite),
        Rule::kind_preferred => StockField::Kind(StockKind::Preferred, cite),
        Rule::authorized => StockField::Authorized(value(first)?, cite),
        Rule::par => StockField::Par(value(first)?, cite),
        Rule::outstanding => StockField::Outstanding(value(first)?, cite),
        Rule::issue_price => StockField::IssuePrice(value(first)?, cite),
        Rule::conversion_price => StockField::ConversionPrice(value(first)?, cite),
        Rule::conversion_ratio => StockField::ConversionRatio(value(first)?, cite),
        Rule::declared_dividends => StockField::DeclaredDividends(value(first)?, cite),
        Rule::issued_on => {
            StockField::Issued(date(first.ok_or_else(|| internal("missing date"))?)?, cite)
        }
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

pub(super) fn safe(pair: P) -> Result<Safe, Problem> {
    let (ident, display, cite, fields) = named_block(pair, safe_field)?;
    Ok(Safe {
        ident,
        display,
        cite,
        fields,
    })
}

fn safe_field(pair: P) -> Result<SafeField, Problem> {
    let rule = pair.as_rule();
    let mut inner = pair.into_inner();
    let first = inner.next();
    let cite = inner.next().map(section).or_else(|| {
        first
            .as_ref()
            .filter(|f| f.as_rule() == Rule::section)
            .map(|f| section(f.clone()))
    });
    let value = first.ok_or_else(|| internal("missing value"));
    Ok(match rule {
        Rule::safe_post_money => SafeField::PostMoney(true, cite),
        Rule::safe_pre_money => SafeField::PostMoney(false, cite),
        Rule::purchase_amount => SafeField::PurchaseAmount(amount(value?)?, cite),
        Rule::valuation_cap => SafeField::ValuationCap(amount(value?)?, cite),
        Rule::discount_rate => SafeField::DiscountRate(percent(value?)?, cite),
        Rule::safe_exit_multiple => SafeField::ExitMultiple(multiple(value?)?, cite),
        Rule::safe_mfn => SafeField::Mfn(cite),
        Rule::safe_pro_rata => SafeField::ProRata(cite),
        Rule::issued_on => SafeField::Issued(date(value?)?, cite),
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

pub(super) fn note(pair: P) -> Result<Note, Problem> {
    let (ident, display, cite, fields) = named_block(pair, note_field)?;
    Ok(Note {
        ident,
        display,
        cite,
        fields,
    })
}

fn note_field(pair: P) -> Result<NoteField, Problem> {
    let rule = pair.as_rule();
    let parts: Vec<P> = pair.into_inner().collect();
    let cite = parts
        .iter()
        .rev()
        .find(|p| p.as_rule() == Rule::section)
        .map(|p| section(p.clone()));
    let nth = |i: usize| {
        parts
            .get(i)
            .cloned()
            .ok_or_else(|| internal("missing value"))
    };
    Ok(match rule {
        Rule::safe_post_money => NoteField::PostMoney(true, cite),
        Rule::safe_pre_money => NoteField::PostMoney(false, cite),
        Rule::principal => NoteField::Principal(amount(nth(0)?)?, cite),
        Rule::note_interest => NoteField::Interest {
            rate: percent(nth(0)?)?,
            day_count: match nth(1)?.into_inner().next().map(|k| k.as_rule()) {
                Some(Rule::actual_actual) => DayCount::ActualActual,
                _ => DayCount::Actual365,
            },
            compounding: nth(2)?.into_inner().next().map(|k| k.as_rule())
                == Some(Rule::compounding_accrual),
            cite,
        },
        Rule::issued_on => NoteField::Issued(date(nth(0)?)?, cite),
        Rule::maturity => NoteField::Maturity(date(nth(0)?)?, cite),
        Rule::valuation_cap => NoteField::ValuationCap(amount(nth(0)?)?, cite),
        Rule::discount_rate => NoteField::DiscountRate(percent(nth(0)?)?, cite),
        Rule::change_of_control => NoteField::ChangeOfControl {
            multiple: multiple(nth(0)?)?,
            converts: parts.iter().any(|p| p.as_rule() == Rule::coc_conversion),
            cite,
        },
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}

pub(super) fn holding(pair: P) -> Result<Holding, Problem> {
    let mut inner = pair.into_inner();
    Ok(Holding {
        name: string(next(&mut inner)?),
        shares: decimal(next(&mut inner)?)?,
        class: class_ref(next(&mut inner)?)?,
    })
}

/// `group "NAME": MEMBER, MEMBER...`.
pub(super) fn group(pair: P) -> Result<PartyGroup, Problem> {
    let mut inner = pair.into_inner();
    let name = string(next(&mut inner)?);
    let (mut members, mut cite) = (Vec::new(), None);
    for p in inner {
        match p.as_rule() {
            Rule::section => cite = Some(section(p)),
            _ => members.push(class_ref(p)?),
        }
    }
    Ok(PartyGroup {
        name,
        members,
        cite,
    })
}

pub(super) fn pool(pair: P) -> Result<Pool, Problem> {
    let mut inner = pair.into_inner();
    let kind = match next(&mut inner)?.as_str() {
        "options" => PoolKind::Options,
        _ => PoolKind::Warrants,
    };
    let name = string(next(&mut inner)?);
    let count = decimal(next(&mut inner)?)?;
    let class = class_ref(next(&mut inner)?)?;
    let strike = decimal(next(&mut inner)?)?;
    let mut vested = None;
    let mut cite = None;
    for p in inner {
        match p.as_rule() {
            Rule::vested => vested = Some(decimal(next(&mut p.into_inner())?)?),
            _ => cite = Some(section(p)),
        }
    }
    Ok(Pool {
        kind,
        name,
        count,
        class,
        strike,
        vested,
        cite,
    })
}
