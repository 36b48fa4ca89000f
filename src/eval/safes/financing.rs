//! A priced round converting the SAFEs and notes outstanding (an Equity
//! Financing, in the SAFE's words): each converts, at the closing, into
//! shadow preferred of the series sold ("Safe Preferred") at its
//! Conversion Price — the lower of the Safe Price (its cap over the Company
//! Capitalization) and the Discount Price (the round's price times its
//! Discount Rate), or the round's price where it states neither — so into
//! its amount (a SAFE's Purchase Amount, a note's principal and interest)
//! divided by that price. The Safe Preferred is the series' preferred but
//! for its price: its preference per share is the Conversion Price (the
//! series' dividends added as the series adds them), its participation cap
//! that multiple of it, and it ranks and converts with the series.
//!
//! The Company Capitalization counts, immediately before the round, the
//! capital stock outstanding (the preferred as converted), the options and
//! warrants outstanding and the unissued pool the round states. The
//! pre-money form adds the pool increase the round requires and leaves the
//! SAFEs and notes out; the post-money form leaves the increase out and
//! counts the capped SAFEs and notes as converted at their Safe Price, so
//! that with `k` the sum of their amounts over their caps it is `B / (1 −
//! k)` for `B` the rest. O(N) for N classes and pools.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::super::scenario::{Adjustment, Scenario};
use crate::diagnostic::{Kind, Problem, Span};
use crate::ir::{Cap, ClassId};
use crate::num::{self, Checked};

/// The round: the series sold, at what price, when, and its pool terms.
pub struct Round<'a> {
    /// The series sold (the Standard Preferred).
    pub series: ClassId,
    /// Its price per share.
    pub price: Decimal,
    /// Options reserved and not granted before the round.
    pub unissued: Option<Decimal>,
    /// The pool increase the round requires.
    pub increase: Option<Decimal>,
    /// The closing.
    pub date: NaiveDate,
    /// The statement, for the log.
    pub text: &'a str,
    /// Where problems point.
    pub span: Span,
}

/// One instrument's conversion, worked.
struct Converted {
    id: ClassId,
    amount: Decimal,
    price: Decimal,
    steps: Vec<String>,
}

/// Converts every SAFE and note outstanding in `round`, before its shares
/// are issued.
pub fn convert(s: &mut Scenario, round: &Round) -> Result<(), Problem> {
    let fail = |k: Kind| Problem::new(k, round.span, "this round");
    super::refresh(s).map_err(fail)?;
    let ids: Vec<ClassId> = (0..s.charter.classes.len())
        .filter(|&i| s.charter.classes.get(i).is_some_and(|c| c.safe.is_some()))
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    let capitalization = capitalization(s, round)?;
    let mut done = Vec::new();
    for &id in &ids {
        done.push(price_of(s, round, id, capitalization.as_ref()).map_err(fail)?);
    }
    for c in done {
        shadow(s, round, &c).map_err(fail)?;
    }
    Ok(())
}

/// The Company Capitalization, with the words of its sum; `None` where no
/// instrument has a cap (none is needed).
fn capitalization(s: &Scenario, round: &Round) -> Result<Option<(Decimal, String)>, Problem> {
    let c = &s.charter;
    let fail = |k: Kind| Problem::new(k, round.span, "this round");
    let safes: Vec<(&crate::ir::Class, &crate::ir::Safe)> = c
        .classes
        .iter()
        .filter_map(|x| Some((x, x.safe.as_deref()?)))
        .filter(|(_, s)| s.cap.is_some())
        .collect();
    let Some((_, first)) = safes.first() else {
        return Ok(None);
    };
    let post = first.post_money;
    if safes.iter().any(|(_, s)| s.post_money != post) {
        return Err(fail(Kind::Unsupported(
            "post-money and pre-money instruments define the Company Capitalization apart; converting both in one round is not supported yet".to_string(),
        )));
    }
    let Some(unissued) = round.unissued else {
        return Err(fail(Kind::MissingField {
            class: "the round".to_string(),
            field: "unissued pool".to_string(),
        })
        .with_help("add `unissued pool N` (0 if none) to the `issue` statement: the SAFEs' and notes' Company Capitalization counts the options reserved and not granted"));
    };
    let mut base = crate::ir::outstanding_as_converted(&c.classes, &c.pools)
        .ok_or_else(|| fail(Kind::Overflow("Company Capitalization".to_string())))?;
    base = base.add(unissued, "capitalization").map_err(fail)?;
    let mut words = format!(
        "{} outstanding as converted and options, {} unissued",
        num::shares(base.sub(unissued, "capitalization").map_err(fail)?),
        num::shares(unissued)
    );
    if !post {
        let increase = round.increase.unwrap_or_default();
        words.push_str(&format!(", {} pool increase", num::shares(increase)));
        let total = base.add(increase, "capitalization").map_err(fail)?;
        return Ok(Some((
            total,
            format!(
                "Company Capitalization (pre-money): {words} = {}",
                num::shares(total)
            ),
        )));
    }
    let mut k = Decimal::ZERO;
    for (x, safe) in &safes {
        let amount = x.issue_price.unwrap_or(safe.purchase);
        let cap = safe.cap.unwrap_or(Decimal::ONE);
        k = k
            .add(
                amount.div(cap, "capitalization").map_err(fail)?,
                "capitalization",
            )
            .map_err(fail)?;
    }
    if k >= Decimal::ONE {
        return Err(fail(Kind::Impossible(
            "the post-money SAFEs' and notes' amounts add up to their caps or more".to_string(),
        )));
    }
    let total = base
        .div(
            Decimal::ONE.sub(k, "capitalization").map_err(fail)?,
            "capitalization",
        )
        .map_err(fail)?;
    Ok(Some((
        total,
        format!(
            "Company Capitalization (post-money): {words}, over 1 − {} for the SAFEs and notes as converted = {}",
            k.normalize(),
            num::shares(total.round_dp(4))
        ),
    )))
}

/// Instrument `id`'s Conversion Price: the lowest of its Safe Price, its
/// Discount Price, and the round's price where it states neither.
fn price_of(
    s: &Scenario,
    round: &Round,
    id: ClassId,
    capitalization: Option<&(Decimal, String)>,
) -> Result<Converted, Kind> {
    let c = s
        .charter
        .classes
        .get(id)
        .ok_or_else(|| Kind::Overflow("class".to_string()))?;
    let safe = c
        .safe
        .as_deref()
        .ok_or_else(|| Kind::Overflow("class".to_string()))?;
    let amount = c.issue_price.unwrap_or(safe.purchase);
    let mut steps = Vec::new();
    let mut candidates = Vec::new();
    if let (Some(cap), Some((cc, words))) = (safe.cap, capitalization) {
        let p = cap.div(*cc, "Safe Price")?;
        steps.push(words.clone());
        steps.push(format!(
            "Safe Price: {} ÷ {} = {}",
            num::dollars(cap),
            num::shares(cc.round_dp(4)),
            num::exact_dollars(p.round_dp(6))
        ));
        candidates.push(p);
    }
    if let Some(rate) = safe.discount_rate {
        let p = round.price.mul(rate, "Discount Price")?;
        steps.push(format!(
            "Discount Price: {} × {} = {}",
            num::exact_dollars(round.price),
            num::percent(rate),
            num::exact_dollars(p)
        ));
        candidates.push(p);
    }
    if candidates.is_empty() {
        steps.push(format!(
            "no cap or discount: the round's price, {}",
            num::exact_dollars(round.price)
        ));
        candidates.push(round.price);
    } else if safe.note.is_some() {
        // A note converts at no more than the round's price.
        candidates.push(round.price);
    }
    let price = candidates
        .into_iter()
        .min()
        .ok_or_else(|| Kind::Overflow("price".to_string()))?;
    let shares = amount.div(price, "Safe Preferred")?;
    steps.push(format!(
        "{} ÷ {} = {} shares of Safe Preferred",
        num::exact_dollars(amount.round_dp(2)),
        num::exact_dollars(price.round_dp(6)),
        num::shares(shares.round_dp(4))
    ));
    Ok(Converted {
        id,
        amount,
        price,
        steps,
    })
}

/// Makes instrument `c.id` the series' Safe Preferred at its price.
fn shadow(s: &mut Scenario, round: &Round, c: &Converted) -> Result<(), Kind> {
    let shares = c.amount.div(c.price, "Safe Preferred")?;
    let series = round.series;
    let charter = Arc::make_mut(&mut s.charter);
    let series_name = charter
        .classes
        .get(series)
        .map(|x| x.name.clone())
        .unwrap_or_default();
    let cite = {
        let Some(x) = charter.classes.get_mut(c.id) else {
            return Ok(());
        };
        let cite = x.safe.as_ref().map(|s| s.cite.clone());
        x.outstanding = shares;
        x.issue_price = Some(c.price);
        x.conversion_price = Some(c.price);
        x.ratio = Some(Decimal::ONE);
        x.safe = None;
        cite
    };
    for h in charter.holders.iter_mut().filter(|h| h.class == c.id) {
        h.shares = h.shares.mul(shares, "Safe Preferred")?;
    }
    let events = charter.events.iter_mut().map(|e| &mut e.terms);
    for terms in std::iter::once(&mut charter.liquidation).chain(events) {
        like_series(terms, series, c.id, c.price)?;
    }
    let right = charter.conversion.rights.get(series).cloned().flatten();
    if let Some(slot) = charter.conversion.rights.get_mut(c.id) {
        *slot = right;
    }
    if let Some(slot) = s.prices.get_mut(c.id) {
        *slot = Some(c.price);
    }
    if let Some(cite) = cite {
        s.log.push(Adjustment {
            class: c.id,
            event: round.text.to_string(),
            date: round.date,
            before: round.price,
            after: c.price,
            kind: format!("converts into {series_name} Safe Preferred"),
            steps: c.steps.clone(),
            cite,
        });
    }
    Ok(())
}

/// Class `id` takes the series' terms at its own price: a preference of
/// its price per share (with the series' dividends), the series'
/// participation with its caps as multiples of that price, and a place in
/// the series' rank.
fn like_series(
    terms: &mut crate::ir::Terms,
    series: ClassId,
    id: ClassId,
    price: Decimal,
) -> Result<(), Kind> {
    let pref = terms
        .preference
        .get(series)
        .cloned()
        .flatten()
        .map(|p| crate::ir::Preference {
            per_share: price,
            multiple: Some(Decimal::ONE),
            ..p
        });
    if let Some(slot) = terms.preference.get_mut(id) {
        *slot = pref;
    }
    let mut part = terms.participation.get(series).cloned().flatten();
    if let Some(p) = part.as_mut() {
        if let Some(m) = p.cap_multiple {
            let amount = m.mul(price, "participation cap")?;
            p.cap = p.cap.map(|c| match c {
                Cap::Total(_) => Cap::Total(amount),
                Cap::More(_) => Cap::More(amount),
            });
        }
        if let Some(m) = p.while_under_multiple {
            p.while_under = Some(m.mul(price, "participation test")?);
        }
    }
    if let Some(slot) = terms.participation.get_mut(id) {
        *slot = part;
    }
    for rank in &mut terms.ranks {
        rank.classes.retain(|&x| x != id);
    }
    terms.ranks.retain(|r| !r.classes.is_empty());
    if let Some(rank) = terms.ranks.iter_mut().find(|r| r.classes.contains(&series)) {
        // Sharing a shortfall with the Safe Preferred, whose preference per
        // share differs, needs the rule the charter states for the rank.
        if rank.cite.is_none() {
            return Err(Kind::Unsupported(
                "the series sold ranks alone, with no shortfall rule stated, and its Safe Preferred would share its rank; state the rule (`shortfall A, Seed: ratably by full preferential amount`)".to_string(),
            ));
        }
        rank.classes.push(id);
    }
    Ok(())
}
