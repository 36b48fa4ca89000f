//! Step 3, what is declared beyond the preferential amounts: on the classes the
//! statement names, alike per share; or as the charter says — shared as
//! converted, or to common with each preferred class receiving the greater
//! of its rate and common's amount as converted. Without a rule it is not
//! guessed.

use super::*;

/// Where a preferred class joins common: the dividend per common share at
/// which common catches up, the class, and its shares as converted.
type Join = (Decimal, ClassId, Decimal);

/// Shares the rest of a declaration (`amount` in all, `remaining` of it
/// left), given what each class was paid of its rate.
pub(super) fn rest(
    s: &Scenario,
    d: &Dividends,
    to: &[ClassId],
    (amount, remaining): (Decimal, Decimal),
    rate_paid: &[Decimal],
    exact: &mut Parts,
) -> Result<(), Kind> {
    let ruled = d.beyond.is_some() || d.blocker.is_some() || d.greater.is_some();
    if ruled && !to.is_empty() {
        return Err(Kind::Impossible(
            "the charter says how a dividend beyond the preferential amounts is shared: declare it without `to`".to_string(),
        ));
    }
    if let Some((list, cite, what)) = sharers(d, to) {
        return share(s, to, remaining, (list, cite, what), exact);
    }
    if let Some(greater) = &d.greater {
        return greater_of(s, d, greater, remaining, rate_paid, exact);
    }
    let preferential = amount.sub(remaining, "preferential")?;
    Err(Kind::MissingFact(format!(
        "the charter file does not say how a dividend beyond the preferential amounts ({}) is shared: declare at most that, name the classes it is declared on (`declare dividend $X to A, B`), or state the rule in the dividends block",
        num::dollars(preferential)
    )))
}

/// The classes that share the rest alike, the clause and the words for it:
/// those the statement names, or the charter's as-converted rule.
fn sharers(d: &Dividends, to: &[ClassId]) -> Option<(Vec<ClassId>, Cite, &'static str)> {
    if !to.is_empty() {
        // Declared by the Board on the classes named, alike on each share.
        return Some((
            to.to_vec(),
            d.cite.clone(),
            "declared on the classes named, alike per share",
        ));
    }
    if let Some((list, cite)) = &d.beyond {
        return Some((
            list.clone(),
            cite.clone(),
            "beyond the preferential amounts, shared as converted",
        ));
    }
    let (common_id, pref, cite) = d.blocker.as_ref()?;
    let mut l = vec![*common_id];
    l.extend(pref.iter().copied());
    Some((
        l,
        cite.clone(),
        "shared as converted: no dividend on common without an equal one on the preferred",
    ))
}

/// Classes named in the statement share alike per share held; the
/// charter's rules share as converted.
fn share(
    s: &Scenario,
    to: &[ClassId],
    remaining: Decimal,
    (list, cite, what): (Vec<ClassId>, Cite, &str),
    exact: &mut Parts,
) -> Result<(), Kind> {
    let weight = |id: ClassId| {
        if to.is_empty() {
            as_converted(s, id)
        } else {
            Ok(s.outstanding(id))
        }
    };
    let mut w = Decimal::ZERO;
    for i in &list {
        w = w.add(weight(*i)?, "shares")?;
    }
    for id in list {
        let part = if w.is_zero() {
            Decimal::ZERO
        } else {
            remaining.mul(weight(id)?, "dividend")?.div(w, "share")?
        };
        if let Some(v) = exact.get_mut(id) {
            v.push((what.to_string(), part, cite.clone()));
        }
    }
    Ok(())
}

/// Common takes c a share more; a preferred class tops up to common's year
/// as converted once that passes what the class has had this year ("as
/// determined on a per annum basis").
fn greater_of(
    s: &Scenario,
    d: &Dividends,
    (pref, common_id, cite): &(Vec<ClassId>, ClassId, Cite),
    remaining: Decimal,
    rate_paid: &[Decimal],
    exact: &mut Parts,
) -> Result<(), Kind> {
    let base = s.outstanding(*common_id);
    let (joins, ahead) = leads(s, pref, *common_id, rate_paid)?;
    let (c, joined) = level(base, &joins, remaining)?;
    if let Some(v) = exact.get_mut(*common_id) {
        v.push((
            "dividend on common".to_string(),
            base.mul(c, "dividend")?,
            d.cite.clone(),
        ));
    }
    for (_, p, w) in joins.iter().take(joined) {
        let paid = ahead.get(*p).copied().unwrap_or_default();
        let top = w
            .mul(c, "dividend")?
            .sub(paid, "dividend")?
            .max(Decimal::ZERO);
        if let Some(v) = exact.get_mut(*p) {
            v.push((
                "the greater of its rate and what common receives as converted".to_string(),
                top,
                cite.clone(),
            ));
        }
    }
    Ok(())
}

/// Each preferred class's lead over common this year in dollars (its year
/// so far and this declaration's rate, less common's year so far as
/// converted), and where it joins: the dividend per common share at which
/// common catches up, the class, and its shares as converted, in order of
/// joining. Each declaration leaves no class behind common, so a lead is not
/// negative; it is held at zero in any case.
fn leads(
    s: &Scenario,
    pref: &[ClassId],
    common_id: ClassId,
    rate_paid: &[Decimal],
) -> Result<(Vec<Join>, Vec<Decimal>), Kind> {
    let common_year = s.year_paid.get(common_id).copied().unwrap_or_default();
    let mut joins: Vec<Join> = Vec::new();
    let mut ahead = vec![Decimal::ZERO; s.charter.classes.len()];
    for &p in pref {
        let w = as_converted(s, p)?;
        if w.is_zero() {
            continue;
        }
        let before = s
            .year_paid
            .get(p)
            .copied()
            .unwrap_or_default()
            .mul(s.outstanding(p), "dividends this year")?;
        let lead = before
            .add(
                rate_paid.get(p).copied().unwrap_or_default(),
                "dividends this year",
            )?
            .sub(common_year.mul(w, "common's year as converted")?, "lead")?
            .max(Decimal::ZERO);
        if let Some(slot) = ahead.get_mut(p) {
            *slot = lead;
        }
        joins.push((lead.div(w, "threshold")?, p, w));
    }
    joins.sort_by_key(|j| j.0);
    Ok((joins, ahead))
}

/// The dividend per common share c with remaining = base × c + Σ max(0,
/// c × w_p − lead_p), and how many classes joined: walked join by join,
/// linear in the classes.
fn level(base: Decimal, joins: &[Join], remaining: Decimal) -> Result<(Decimal, usize), Kind> {
    let mut active_w = base;
    let mut spent = Decimal::ZERO;
    let mut level = Decimal::ZERO;
    let mut idx = 0;
    loop {
        let step = match joins.get(idx) {
            Some(j) => Some((
                j.0,
                j.0.sub(level, "dividend")?.mul(active_w, "dividend")?,
                j.2,
            )),
            None => None,
        };
        match step {
            Some((t, cost, w)) if spent.add(cost, "dividend")? <= remaining => {
                spent = spent.add(cost, "dividend")?;
                level = t;
                active_w = active_w.add(w, "dividend")?;
                idx = idx.saturating_add(1);
            }
            _ if active_w.is_zero() => return Ok((level, idx)),
            _ => {
                let c = level.add(
                    remaining
                        .sub(spent, "dividend")?
                        .div(active_w, "dividend per share")?,
                    "dividend",
                )?;
                return Ok((c, idx));
            }
        }
    }
}
