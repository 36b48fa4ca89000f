//! `convert SERIES [for HOLDER] [at $FMV] [funds $X]`: the common shares a
//! conversion delivers now, under the charter's rule for fractional shares,
//! and the cash it pays now and leaves owed where funds are short.

use rust_decimal::{Decimal, RoundingStrategy};

use super::scenario::{Scenario, at};
use crate::diagnostic::{Kind, Problem};
use crate::ir::{Cite, ClassId, FractionMode};
use crate::num::Checked;
use crate::syntax::ast::Spanned;

/// One holder's conversion.
#[derive(Debug, Clone)]
pub struct HolderConversion {
    /// Holder name (or "other holders of X").
    pub name: String,
    /// Preferred shares converted.
    pub shares: Decimal,
    /// Common shares before settling fractions.
    pub exact: Decimal,
    /// Common shares delivered.
    pub delivered: Decimal,
    /// The fraction settled in cash (or forfeited).
    pub fraction: Decimal,
    /// Cash paid for the fraction, to the cent, when a value per share is given.
    pub cash_in_lieu: Option<Decimal>,
    /// Cash the charter pays on conversion, paid now.
    pub cash_on_conversion: Decimal,
    /// Cash on conversion left owed for want of funds.
    pub cash_owed: Decimal,
    /// The holder's part of the accrued dividends paid on conversion (the
    /// class's amount shared by shares, to the cent by the remainder rule),
    /// where the class has them.
    pub dividends: Option<Decimal>,
}

/// What a `convert` statement states beyond the class.
#[derive(Debug, Clone, Copy, Default)]
pub struct Given<'a> {
    /// One holder's shares only.
    pub holder: Option<&'a Spanned<String>>,
    /// A common share's fair market value, for cash in lieu and waivers.
    pub fmv: Option<&'a Spanned<Decimal>>,
    /// Funds legally available for the cash owed on conversion.
    pub funds: Option<&'a Spanned<Decimal>>,
}

/// Funds given for the cash owed on conversion, against what is owed.
#[derive(Debug, Clone)]
pub struct Funds {
    /// Funds legally available.
    pub available: Decimal,
    /// The cash owed on the conversion, every class converting with this
    /// one included.
    pub owed: Decimal,
    /// The classes converting together.
    pub classes: Vec<String>,
    /// The shortfall rule's clause, where funds are short.
    pub cite: Option<Cite>,
}

/// The answer to `convert`.
#[derive(Debug, Clone)]
pub struct ConvertOutcome {
    /// The class.
    pub name: String,
    /// Current conversion price, if the class has one.
    pub price: Option<Decimal>,
    /// Common shares per share.
    pub ratio: Decimal,
    /// Each holder.
    pub holders: Vec<HolderConversion>,
    /// The fractional-shares rule applied, in words, and its clause.
    pub rule: Option<(String, Cite)>,
    /// The value per common share used for cash in lieu.
    pub fmv: Option<Decimal>,
    /// The conversion clause.
    pub cite: Option<Cite>,
    /// How the class may convert, in words.
    pub how: String,
    /// Accrued dividends paid on conversion, and how the waiver came out.
    pub dividends: Option<(Decimal, String)>,
    /// Funds given for the cash on conversion.
    pub funds: Option<Funds>,
}

/// Converts a class (or one holder's shares of it) as things stand.
pub fn convert(
    s: &Scenario,
    class: ClassId,
    given: &Given,
    at_span: crate::ir::Span,
) -> Result<ConvertOutcome, Problem> {
    let (holder, fmv) = (given.holder, given.fmv);
    let fail = |k: Kind| at(k, at_span);
    let c = s
        .charter
        .classes
        .get(class)
        .ok_or_else(|| fail(Kind::UnknownClass(String::new())))?;
    if c.common {
        return Err(Problem::new(
            Kind::CommonTerm(c.name.clone(), "conversion".to_string()),
            at_span,
            "common stock",
        )
        .with_help("name a preferred series"));
    }
    if let Some(how) = s.converted.get(class).and_then(|x| x.as_ref()) {
        return Err(Problem::new(
            Kind::Impossible(format!("`{}` has already converted {how}", c.name)),
            at_span,
            "no shares of it are left",
        )
        .with_help("query the conversion before the event, or `:reset` the scenario"));
    }
    let ratio = c.ratio.ok_or_else(|| {
        Problem::new(
            Kind::MissingConversionTerms(c.name.clone()),
            at_span,
            "this class",
        )
        .with_help(format!(
            "add `conversion price $X` or `conversion ratio R` to `stock {}`",
            c.ident
        ))
    })?;
    let right = s
        .charter
        .conversion
        .rights
        .get(class)
        .and_then(|r| r.as_ref());
    let cash_per = s.charter.conversion_cash(class).map_err(fail)?;

    let named: Vec<&crate::ir::Holder> = s
        .charter
        .holders
        .iter()
        .filter(|h| h.class == class)
        .collect();
    let mut list: Vec<(String, Decimal)> =
        named.iter().map(|h| (h.name.clone(), h.shares)).collect();
    let held = crate::num::sum(named.iter().map(|h| h.shares), "shares held").map_err(fail)?;
    if c.outstanding > held {
        let rest = c.outstanding.sub(held, "other holders").map_err(fail)?;
        list.push((format!("other holders of {}", c.name), rest));
    }
    // The share of its cash on conversion each holder is paid now: all, or
    // the funds' ratable share.
    let (funds, paid) = funds(s, (class, cash_per), given.funds, &list, at_span)?;
    // The class's accrued dividends on conversion, and each holder's part.
    let mut dividends =
        super::dividends::on_conversion(s, class, fmv.map(|v| v.node)).map_err(fail)?;
    let parts = dividend_parts(dividends.as_ref().map(|d| d.0), &list).map_err(fail)?;
    let mut list: Vec<Holding> = list
        .into_iter()
        .zip(paid)
        .zip(parts)
        .map(|(((n, sh), p), dv)| (n, sh, p, dv))
        .collect();
    if let Some(h) = holder {
        list.retain(|(n, _, _, _)| n == &h.node);
        if list.is_empty() {
            return Err(not_a_holder(h, &c.name, &named));
        }
        // One holder converting is paid its own part, and the answer says so.
        if let (Some(d), Some((_, _, _, Some(part)))) = (dividends.as_mut(), list.first()) {
            d.0 = *part;
        }
    }
    let rule = s.charter.conversion.fractional.as_ref();
    let holders = conversions(list, ratio, rule, fmv, cash_per).map_err(fail)?;
    let how = how_words(s, right);
    Ok(ConvertOutcome {
        funds,
        dividends,
        how,
        name: c.name.clone(),
        price: s.prices.get(class).copied().flatten(),
        ratio,
        holders,
        rule: rule.map(|r| (mode_words(r.mode, r.aggregated), r.cite.clone())),
        fmv: fmv.map(|v| v.node),
        cite: right.map(|r| r.cite.clone()),
    })
}

/// Each holder's cash on conversion paid now (in `list`'s order), and the
/// funds' account where funds were given. Short funds are applied ratably to
/// the cash owed to every class converting with this one, as the charter's
/// shortfall clause says, to the cent by the remainder rule (first among the
/// classes, then among each class's holders); without such a clause a
/// shortfall is a question the file does not answer.
fn funds(
    s: &Scenario,
    (class, cash_per): (ClassId, Decimal),
    given: Option<&Spanned<Decimal>>,
    list: &[(String, Decimal)],
    at_span: crate::ir::Span,
) -> Result<(Option<Funds>, Vec<Decimal>), Problem> {
    let cash_of = |id: ClassId| s.charter.conversion_cash(id);
    let full: Vec<Decimal> = list
        .iter()
        .map(|(_, sh)| sh.mul(cash_per, "cash on conversion"))
        .collect::<Result<_, _>>()
        .map_err(|k| at(k, given.map_or(at_span, |g| g.span)))?;
    let Some(given) = given else {
        return Ok((None, full));
    };
    let fail = |k: Kind| at(k, given.span);
    if given.node.round_dp(2) != given.node || given.node < Decimal::ZERO {
        return Err(Problem::new(
            Kind::BadNumber(format!("`{}` is not an amount in whole cents", given.node)),
            given.span,
            "these funds",
        ));
    }
    let members = converting_with(s, class);
    let owed_by = members
        .iter()
        .map(|&m| {
            let n = s
                .charter
                .classes
                .get(m)
                .map_or(Decimal::ZERO, |c| c.outstanding);
            cash_of(m).and_then(|c| n.mul(c, "cash on conversion"))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail)?;
    let owed = crate::num::sum(owed_by.iter().copied(), "cash on conversion").map_err(fail)?;
    let names = members.iter().map(|m| s.name(*m)).collect();
    if owed.is_zero() {
        return Err(Problem::new(
            Kind::Impossible(format!("no cash is owed on converting `{}`", s.name(class))),
            given.span,
            "these funds",
        )
        .with_help("`funds $X` is for a charter that pays cash on conversion"));
    }
    if given.node >= owed {
        let account = Funds {
            available: given.node,
            owed,
            classes: names,
            cite: None,
        };
        return Ok((Some(account), full));
    }
    let Some(cite) = s.charter.conversion.cash_shortfall.clone() else {
        return Err(no_shortfall_rule(given, owed));
    };
    // Ratably: each class's cash times funds over what is owed.
    let share = |x: Decimal| {
        x.mul(given.node, "ratable share")
            .and_then(|v| v.div(owed, "ratable share"))
    };
    let exact: Vec<Decimal> = owed_by
        .iter()
        .map(|x| share(*x))
        .collect::<Result<_, _>>()
        .map_err(fail)?;
    let by_class = super::apportion::to_cents(given.node, &exact).map_err(fail)?;
    let mine = members
        .iter()
        .position(|m| *m == class)
        .and_then(|i| by_class.get(i).copied())
        .unwrap_or_default();
    let holders: Vec<Decimal> = full
        .iter()
        .map(|x| share(*x))
        .collect::<Result<_, _>>()
        .map_err(fail)?;
    let paid = super::apportion::to_cents(mine, &holders).map_err(fail)?;
    let account = Funds {
        available: given.node,
        owed,
        classes: names,
        cite: Some(cite),
    };
    Ok((Some(account), paid))
}

/// One holder's conversion: the common delivered under the fractional-share
/// rule, cash in lieu at the value given, and its cash on conversion paid
/// now and left owed.
/// A holder converting: name, preferred shares, cash paid now, and its part
/// of the dividends on conversion.
type Holding = (String, Decimal, Decimal, Option<Decimal>);

/// Each holder's conversion.
fn conversions(
    list: Vec<Holding>,
    ratio: Decimal,
    rule: Option<&crate::ir::Fractional>,
    fmv: Option<&Spanned<Decimal>>,
    cash_per: Decimal,
) -> Result<Vec<HolderConversion>, Kind> {
    list.into_iter()
        .map(|(name, shares, paid_now, dv)| {
            holder_conversion(name, (shares, paid_now), ratio, rule, fmv, cash_per)
                .map(|h| HolderConversion { dividends: dv, ..h })
        })
        .collect()
}

/// Each holder's part of the class's dividends on conversion: by shares,
/// to the cent by the remainder rule (`None` each where there are none).
fn dividend_parts(
    total: Option<Decimal>,
    list: &[(String, Decimal)],
) -> Result<Vec<Option<Decimal>>, Kind> {
    let Some(total) = total else {
        return Ok(vec![None; list.len()]);
    };
    let all = crate::num::sum(list.iter().map(|h| h.1), "shares")?;
    if all.is_zero() {
        return Ok(vec![Some(Decimal::ZERO); list.len()]);
    }
    let exact = list
        .iter()
        .map(|h| crate::num::scale(total, h.1, all, "dividends on conversion"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(super::apportion::to_cents(total.round_dp(2), &exact)?
        .into_iter()
        .map(Some)
        .collect())
}

fn holder_conversion(
    name: String,
    (shares, paid_now): (Decimal, Decimal),
    ratio: Decimal,
    rule: Option<&crate::ir::Fractional>,
    fmv: Option<&Spanned<Decimal>>,
    cash_per: Decimal,
) -> Result<HolderConversion, Kind> {
    let exact = shares.mul(ratio, "common shares")?;
    // Without aggregation each preferred share is rounded on its own.
    let (delivered, fraction) = match rule {
        None => (exact, Decimal::ZERO),
        Some(r) if r.aggregated => settle(exact, r.mode),
        Some(r) => {
            let (d, f) = settle(ratio, r.mode);
            (d.mul(shares, "common shares")?, f.mul(shares, "fractions")?)
        }
    };
    let cash_in_lieu = match (rule.map(|r| r.mode), fmv) {
        (Some(FractionMode::CashInLieu), Some(v)) => Some(
            fraction
                .mul(v.node, "cash in lieu")?
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
        ),
        _ => None,
    };
    Ok(HolderConversion {
        name,
        shares,
        exact,
        delivered,
        fraction,
        cash_in_lieu,
        cash_on_conversion: paid_now,
        cash_owed: shares
            .mul(cash_per, "cash on conversion")?
            .sub(paid_now, "cash owed")?,
        dividends: None,
    })
}

/// How a class converts, in words: at the holder's option, with its group
/// on an election, or only automatically.
fn how_words(s: &Scenario, right: Option<&crate::ir::ConversionRight>) -> String {
    match right.map(|r| &r.mode) {
        None => {
            "only automatically, if at all: the charter file gives its holders no right to convert"
                .to_string()
        }
        Some(crate::ir::ConversionMode::Optional) => "at the holder's option".to_string(),
        Some(crate::ir::ConversionMode::Group(g)) => match s.charter.conversion.groups.get(*g) {
            Some(group) => {
                let members: Vec<String> = group.members.iter().map(|m| s.name(*m)).collect();
                let electors: Vec<String> = group.electors.iter().map(|m| s.name(*m)).collect();
                format!(
                    "only with {}, on the election of {} of {} together",
                    members.join(", "),
                    group.threshold.words(),
                    electors.join(", ")
                )
            }
            None => String::new(),
        },
    }
}

/// A holder named in `convert ... for` that holds none of the class.
fn not_a_holder(h: &Spanned<String>, class: &str, named: &[&crate::ir::Holder]) -> Problem {
    let names: Vec<String> = named.iter().map(|h| format!("\"{}\"", h.name)).collect();
    Problem::new(
        Kind::Impossible(format!("no named holder \"{}\" holds `{class}`", h.node)),
        h.span,
        "not a holder of this class",
    )
    .with_help(if names.is_empty() {
        format!("this charter names no holders of `{class}`")
    } else {
        format!("named holders of `{class}`: {}", names.join(", "))
    })
}

/// The classes that convert with `class`: its group's members, or itself.
fn converting_with(s: &Scenario, class: ClassId) -> Vec<ClassId> {
    let mode = s
        .charter
        .conversion
        .rights
        .get(class)
        .and_then(|r| r.as_ref())
        .map(|r| &r.mode);
    match mode {
        Some(crate::ir::ConversionMode::Group(g)) => s
            .charter
            .conversion
            .groups
            .get(*g)
            .map_or_else(|| vec![class], |x| x.members.clone()),
        _ => vec![class],
    }
}

/// Funds short of the cash owed, where the file does not say how a
/// shortfall is shared: a question for the user, not a guess.
fn no_shortfall_rule(given: &Spanned<Decimal>, owed: Decimal) -> Problem {
    Problem::new(
        Kind::MissingFact(format!(
            "{} is short of the {} of cash owed on conversion, and the charter file does not say how a shortfall is shared",
            crate::num::dollars(given.node),
            crate::num::dollars(owed)
        )),
        given.span,
        "these funds",
    )
    .with_help("state the rule in the conversion block, e.g. `short of cash on conversion: ratably, the rest when funds allow`, citing the charter")
}

/// Shares delivered and the fraction left, under a rule.
fn settle(exact: Decimal, mode: FractionMode) -> (Decimal, Decimal) {
    let delivered = match mode {
        FractionMode::CashInLieu | FractionMode::RoundDown => exact.trunc(),
        FractionMode::RoundNearest => {
            exact.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        }
        FractionMode::RoundTenth => {
            exact.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        }
    };
    let fraction = match mode {
        // `delivered` is `exact` rounded to a whole share: the difference
        // is below one share and cannot overflow.
        FractionMode::CashInLieu | FractionMode::RoundDown => exact.saturating_sub(delivered),
        FractionMode::RoundNearest | FractionMode::RoundTenth => Decimal::ZERO,
    };
    (delivered, fraction)
}

/// The rule in words.
pub fn mode_words(mode: FractionMode, aggregated: bool) -> String {
    let m = match mode {
        FractionMode::CashInLieu => "whole shares, cash in lieu of the fraction",
        FractionMode::RoundNearest => "rounded to the nearest whole share",
        FractionMode::RoundDown => "rounded down, the fraction forfeited",
        FractionMode::RoundTenth => "rounded to the nearest 1/10 share",
    };
    if aggregated {
        format!("{m}, after adding up each holder's shares")
    } else {
        format!("{m}, share by share")
    }
}
