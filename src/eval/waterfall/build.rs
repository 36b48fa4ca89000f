//! Building the waterfall: the tranches of each rank's claims, most senior
//! first, then the residual, each stretch water-filled by its claims.

use super::*;
use crate::ir::Rank;

/// Builds the waterfall; `explain` keeps the reasons (a bare waterfall, built
/// many times over by the walk, leaves them out).
pub(super) fn build_with(
    charter: &Charter,
    terms: &Terms,
    decisions: &Decisions,
    exit: Decimal,
    explain: bool,
) -> Result<Waterfall, Kind> {
    // Every payout, search step and stretch of the curve builds waterfalls:
    // the place where an evaluation past its budget stops.
    crate::budget::check()?;
    let (shares, proceeds) = exercised(charter, decisions, exit)?;
    let mut b = Builder {
        charter,
        terms,
        decisions,
        shares,
        explain,
        reasons: Vec::new(),
        all: Vec::new(),
        tranches: Vec::new(),
        owed: vec![None; charter.classes.len()],
    };
    let (ahead_at, ahead_in) = b.cash_ahead();
    for (r_index, rank) in terms.ranks.iter().enumerate() {
        let ahead = ahead_in.get(r_index).map_or(&[][..], Vec::as_slice);
        b.rank(rank, ahead, &ahead_at)?;
    }
    b.residual(exit)?;
    Ok(Waterfall {
        proceeds,
        shares: b.shares,
        tranches: b.tranches,
        claims: b.all,
        reasons: b.reasons,
        owed: b.owed,
    })
}

/// Each class's shares after the options and warrants exercised, and the
/// amount distributed: the exit plus the exercise prices paid.
fn exercised(
    charter: &Charter,
    decisions: &Decisions,
    exit: Decimal,
) -> Result<(Vec<Decimal>, Decimal), Kind> {
    let mut shares: Vec<Decimal> = charter.classes.iter().map(|c| c.outstanding).collect();
    let mut proceeds = exit;
    for (pool, _) in charter
        .pools
        .iter()
        .zip(&decisions.exercised)
        .filter(|(_, e)| **e)
    {
        if let Some(s) = shares.get_mut(pool.class) {
            *s = s.add(pool.count, "shares after exercise")?;
        }
        proceeds = proceeds.add(
            pool.count.mul(pool.strike, "exercise price paid")?,
            "amount distributed",
        )?;
    }
    Ok((shares, proceeds))
}

/// Where cash on conversion is paid ahead: the rank each converted class's
/// cash is paid in, and the classes paid ahead in each rank.
type CashAhead = (Vec<Option<usize>>, Vec<Vec<ClassId>>);

/// The waterfall under construction.
struct Builder<'a> {
    charter: &'a Charter,
    terms: &'a Terms,
    decisions: &'a Decisions,
    shares: Vec<Decimal>,
    explain: bool,
    reasons: Vec<Reason>,
    all: Vec<(ClassId, Decimal, usize)>,
    tranches: Vec<Tranche>,
    owed: Vec<Option<Owed>>,
}

impl<'a> Builder<'a> {
    fn converted(&self, id: ClassId) -> bool {
        self.decisions.converted.get(id).copied().unwrap_or(false)
    }

    fn n(&self, id: ClassId) -> Decimal {
        self.shares.get(id).copied().unwrap_or(Decimal::ZERO)
    }

    /// The index of a reason. A clause is known by its span, so the search
    /// compares numbers; a reason is copied only when first met, and not at
    /// all when nobody will read it.
    fn reason(&mut self, what: &str, cite: &Cite) -> usize {
        if !self.explain {
            return 0;
        }
        if let Some(i) = self
            .reasons
            .iter()
            .position(|r| r.cite.span == cite.span && r.what == what)
        {
            return i;
        }
        self.reasons.push(Reason {
            what: what.to_string(),
            cite: cite.clone(),
        });
        self.reasons.len().saturating_sub(1)
    }

    /// Cash on conversion stated to rank ahead of other classes is paid just
    /// before the first rank holding any of them (or its own, if that comes
    /// first), shared in proportion to the amounts owed: the rank each such
    /// converted class's cash is paid in, and the classes paid ahead in each
    /// rank. O(N) where no cash ranks ahead; else O(N + ahead classes named).
    fn cash_ahead(&self) -> CashAhead {
        let (charter, terms) = (self.charter, self.terms);
        let mut ahead_at: Vec<Option<usize>> = vec![None; charter.classes.len()];
        if !charter
            .conversion
            .rights
            .iter()
            .flatten()
            .any(|r| !r.cash_ahead_of.is_empty())
        {
            return (ahead_at, Vec::new());
        }
        let mut rank_of: Vec<Option<usize>> = vec![None; charter.classes.len()];
        for (i, rank) in terms.ranks.iter().enumerate() {
            for &id in &rank.classes {
                if let Some(slot) = rank_of.get_mut(id) {
                    *slot = Some(i);
                }
            }
        }
        let rank = |id: ClassId| rank_of.get(id).copied().flatten();
        for (id, right) in charter.conversion.rights.iter().enumerate() {
            let Some(right) = right.as_ref().filter(|r| !r.cash_ahead_of.is_empty()) else {
                continue;
            };
            if let Some(slot) = ahead_at.get_mut(id).filter(|_| self.converted(id)) {
                *slot = right
                    .cash_ahead_of
                    .iter()
                    .filter_map(|&a| rank(a))
                    .chain(rank(id))
                    .min();
            }
        }
        let mut ahead_in = vec![Vec::new(); terms.ranks.len()];
        for (id, at) in ahead_at.iter().enumerate() {
            if let Some(list) = at.and_then(|r| ahead_in.get_mut(r)) {
                list.push(id);
            }
        }
        (ahead_at, ahead_in)
    }

    /// One rank: the cash on conversion paid ahead in it (`ahead`), then
    /// the rank's own claims, a shortfall shared by the rank's rule.
    fn rank(
        &mut self,
        rank: &Rank,
        ahead: &[ClassId],
        ahead_at: &[Option<usize>],
    ) -> Result<(), Kind> {
        let charter = self.charter;
        let mut first = Vec::new();
        for &id in ahead {
            let Some(Some(right)) = charter.conversion.rights.get(id) else {
                continue;
            };
            let cash = charter.conversion_cash(id)?;
            if self.n(id).is_zero() || cash.is_zero() {
                continue;
            }
            self.one_claim_ahead(id)?;
            let cite = right.cash_cite.as_ref().unwrap_or(&right.cite);
            let full = self.n(id).mul(cash, "cash on conversion")?;
            let reason = self.reason("cash on conversion", cite);
            first.push(Claim {
                class: id,
                room: Some(full),
                weight: full,
                reason,
            });
        }
        if !first.is_empty() {
            self.tranches
                .extend(water_fill(first, false, &mut self.all)?);
        }
        let mut claims = Vec::new();
        for &id in &rank.classes {
            let ahead_of_rank = ahead_at.get(id).copied().flatten().is_some();
            if let Some(claim) = self.claim(id, rank.rule, ahead_of_rank)? {
                claims.push(claim);
            }
        }
        self.tranches
            .extend(water_fill(claims, false, &mut self.all)?);
        Ok(())
    }

    /// Refuses cash on conversion paid ahead of the ranks to a class with
    /// shares issued on exercise, where part of it, or the dividends paid on
    /// converting in its rank, are owed to the shares of record only: the
    /// class would have two claims ahead of the residual, divided between
    /// its shares in two ways, which a class's one [`Owed`] cannot say.
    fn one_claim_ahead(&self, id: ClassId) -> Result<(), Kind> {
        if self.record(id) >= self.n(id) {
            return Ok(());
        }
        let (_, declared) = self.charter.conversion_cash_parts(id);
        if declared.is_zero() && self.terms.conversion_dividend(id).is_zero() {
            return Ok(());
        }
        let name = self
            .charter
            .classes
            .get(id)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        Err(Kind::Unsupported(format!(
            "{name}'s cash on conversion is paid ahead of other classes and adds dividends owed only to its shares of record, while options or warrants for {name} are exercised: paying the two apart is not supported yet"
        )))
    }

    /// Class `id`'s claim in its rank: its preference, or, converted, its
    /// cash on conversion (unless that is paid ahead) with its accrued
    /// dividends paid on converting — one claim, so that a shortfall weighs
    /// it once; weighted by the rank's rule. Dividends are owed to the shares
    /// of record only (`eval::record`).
    fn claim(
        &mut self,
        id: ClassId,
        rule: ShortfallRule,
        cash_paid_ahead: bool,
    ) -> Result<Option<Claim>, Kind> {
        let Some((per_share, dividends, reason)) = self.owed_per_share(id, cash_paid_ahead)? else {
            return Ok(None);
        };
        let n = self.n(id);
        let record = self.record(id);
        let owed = record.mul(dividends, "dividends owed")?;
        let full = n
            .mul(per_share, "full preferential amount")?
            .add(owed, "full preferential amount")?;
        if n.is_zero() || full.is_zero() {
            return Ok(None);
        }
        if record < n
            && !owed.is_zero()
            && let Some(slot) = self.owed.get_mut(id)
        {
            *slot = Some(Owed {
                full,
                dividends: owed,
                record,
                taking_part: n,
            });
        }
        let weight = match rule {
            ShortfallRule::ByPreference => full,
            ShortfallRule::ByShares => n,
            ShortfallRule::ByIssuePrice => {
                // The checker requires an issue price of every class sharing
                // by it; without one the class would weigh nothing.
                let ip = self
                    .charter
                    .classes
                    .get(id)
                    .and_then(|c| c.issue_price)
                    .unwrap_or_default();
                n.mul(ip, "shortfall weight")?
            }
        };
        Ok(Some(Claim {
            class: id,
            room: Some(full),
            weight,
            reason,
        }))
    }

    /// The shares of record of class `id` taking part: its outstanding
    /// shares, the others being issued on exercise.
    fn record(&self, id: ClassId) -> Decimal {
        let outstanding = self
            .charter
            .classes
            .get(id)
            .map_or(Decimal::ZERO, |c| c.outstanding);
        outstanding.min(self.n(id))
    }

    /// What class `id` is owed per share in its rank — the amount owed to
    /// every share, the dividends owed to the shares of record, and the
    /// reason — or `None` if nothing.
    fn owed_per_share(
        &mut self,
        id: ClassId,
        cash_paid_ahead: bool,
    ) -> Result<Option<(Decimal, Decimal, usize)>, Kind> {
        let (charter, terms) = (self.charter, self.terms);
        let Some(Some(pref)) = terms.preference.get(id) else {
            return Ok(None);
        };
        if !self.converted(id) {
            let dividends = charter
                .classes
                .get(id)
                .and_then(|c| pref.dividends(c))
                .ok_or_else(|| Kind::Overflow("preference with dividends".to_string()))?;
            let what = charter
                .classes
                .get(id)
                .and_then(|c| c.safe.as_deref())
                .map_or("liquidation preference", |s| s.words().0);
            let reason = self.reason(what, &pref.cite);
            return Ok(Some((pref.per_share, dividends, reason)));
        }
        let Some(Some(right)) = charter.conversion.rights.get(id) else {
            return Ok(None);
        };
        let (cash, declared) = if cash_paid_ahead {
            (Decimal::ZERO, Decimal::ZERO)
        } else {
            charter.conversion_cash_parts(id)
        };
        let with_cash = cash.add(declared, "cash on conversion")?;
        let cash_cite = right.cash_cite.as_ref().unwrap_or(&right.cite);
        Ok(Some(
            match terms.conversion_dividends.get(id).and_then(|d| d.as_ref()) {
                Some(cd) if !cd.per_share.is_zero() => {
                    let what = conversion_words(self.explain, with_cash.is_zero(), &cd.words);
                    let cite = if with_cash.is_zero() {
                        &cd.cite
                    } else {
                        cash_cite
                    };
                    let dividends = declared.add(cd.per_share, "cash on conversion")?;
                    (cash, dividends, self.reason(&what, cite))
                }
                _ => (cash, declared, self.reason("cash on conversion", cash_cite)),
            },
        ))
    }

    /// The residual, as converted: common, converted classes, and
    /// participating classes up to their caps.
    fn residual(&mut self, exit: Decimal) -> Result<(), Kind> {
        let (charter, terms) = (self.charter, self.terms);
        let block = &terms.cite;
        let dps = distribution_read(charter, terms, exit)?;
        let mut participants = Vec::new();
        for (id, class) in charter.classes.iter().enumerate() {
            let n = self.n(id);
            if n.is_zero() {
                continue;
            }
            let ratio = class.ratio.unwrap_or(Decimal::ONE);
            let as_converted = n.mul(ratio, "shares as converted")?;
            let (room, reason) = if class.common {
                (None, self.reason("residual, as common stock", block))
            } else if self.converted(id) {
                let cite = charter
                    .conversion
                    .rights
                    .get(id)
                    .and_then(|r| r.as_ref())
                    .map_or(block, |r| &r.cite);
                let what = class
                    .safe
                    .as_deref()
                    .map_or("residual, as converted to common", |s| s.words().1);
                (None, self.reason(what, cite))
            } else if let Some(Some(p)) = terms.participation.get(id) {
                let room = match sharing(terms, id, dps)? {
                    Sharing::No => continue,
                    Sharing::Uncapped => None,
                    Sharing::Upto(per_share) => Some(n.mul(per_share, "participation cap")?),
                };
                (room, self.reason("participation", &p.cite))
            } else {
                continue;
            };
            participants.push(Claim {
                class: id,
                room,
                weight: as_converted,
                reason,
            });
        }
        self.tranches
            .extend(water_fill(participants, true, &mut self.all)?);
        Ok(())
    }
}

/// A claim on a stretch of the waterfall: `room` is what the class can take
/// there (`None`: without limit), `weight` how it shares with the others.
struct Claim {
    class: ClassId,
    room: Option<Decimal>,
    weight: Decimal,
    reason: usize,
}

/// Water-fills claims: money is split by weight, and a class leaves once it
/// has taken its room; claims without limit make the last tranche unbounded.
/// Sorting by level makes this O(n log n) for n claims, plus the size of the
/// tranches' share lists.
fn water_fill(
    mut claims: Vec<Claim>,
    residual: bool,
    all: &mut Vec<(ClassId, Decimal, usize)>,
) -> Result<Vec<Tranche>, Kind> {
    claims.retain(|c| c.weight > Decimal::ZERO);
    // The level (amount per unit of weight) at which each claim is full.
    let mut levels: Vec<(Option<Decimal>, &Claim)> = Vec::new();
    for c in &claims {
        let level = c.room.map(|r| r.div(c.weight, "level")).transpose()?;
        levels.push((level, c));
    }
    // Limited claims in order of level, then the unlimited ones.
    levels.sort_by_key(|(l, _)| (l.is_none(), *l));
    let base = all.len();
    all.extend(levels.iter().map(|(_, c)| (c.class, c.weight, c.reason)));
    let end = all.len();
    let mut out: Vec<Tranche> = Vec::new();
    let mut prev = Decimal::ZERO;
    // The weight still active, less each claim as it fills.
    let mut weight = sum(levels.iter().map(|(_, c)| c.weight), "weights")?;
    let mut i = 0;
    while let Some((level, _)) = levels.get(i) {
        let active = levels.get(i..).unwrap_or(&[]);
        let range = base.saturating_add(i)..end;
        let Some(level) = *level else {
            out.push(Tranche {
                size: None,
                claims: range,
                weight,
                ends: Vec::new(),
                residual,
                level: None,
            });
            break;
        };
        // Every claim full at this level ends with this tranche.
        let full = active.iter().take_while(|(l, _)| *l == Some(level)).count();
        let ends: Vec<(ClassId, usize)> = active
            .iter()
            .take(full)
            .map(|(_, c)| (c.class, c.reason))
            .collect();
        let size = level.sub(prev, "level")?.mul(weight, "tranche")?;
        if size > Decimal::ZERO {
            out.push(Tranche {
                size: Some(size),
                claims: range,
                weight,
                ends,
                residual,
                level: Some(level),
            });
        } else if let Some(last) = out.last_mut() {
            // A claim with nothing left to take ends with the tranche before.
            last.ends.extend(ends);
        }
        for (_, c) in active.iter().take(full) {
            weight = weight.sub(c.weight, "weights")?;
        }
        prev = level;
        i = i.saturating_add(full);
    }
    Ok(out)
}

/// The reason for what a converted class is paid on converting: words only
/// for an explanation, since the walk's bare waterfalls are built many times
/// and read none.
fn conversion_words(explain: bool, no_cash: bool, dividends: &str) -> String {
    match (explain, no_cash) {
        (false, _) => String::new(),
        (true, true) => format!("accrued dividends on conversion, {dividends}"),
        (true, false) => format!("cash on conversion, with accrued dividends {dividends}"),
    }
}
