//! Stage 3: the interpreter. Runs queries on a checked charter.
//!
//! `payout` settles the conversion decisions ([`equilibrium`]), pours the
//! amount through the waterfall ([`waterfall`]), and rounds every figure to
//! the cent so that the parts sum exactly to the whole ([`apportion`]).

mod accrual;
pub mod antidilution;
pub mod apportion;
pub mod approval;
pub mod bends;
pub mod breakpoints;
pub mod conversion_dividends;
pub mod convert;
pub mod curve;
pub mod deciders;
pub mod dividends;
pub mod equilibrium;
pub mod fixed;
pub(crate) mod interest;
pub mod ipo;
pub mod issue_price;
pub mod linear;
pub mod obligations;
pub mod pieces;
pub mod prices;
pub mod record;
pub mod redemption;
pub mod safes;
pub mod scenario;
pub mod search;
pub mod sweep;
pub mod vote;
pub mod votes;
pub mod waterfall;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::diagnostic::{Kind, Problem};
use crate::ir::{Charter, Cite, EventKind};
use crate::num::{self, Checked};
use crate::syntax::ast::Spanned;
use deciders::Unit;
use waterfall::Reason;

/// The largest exit computed: with 28 significant digits, this leaves ten
/// below the cent for pro rata shares.
pub const MAX_EXIT: u64 = 10_000_000_000_000_000;

/// One amount of a class's payout, with the clause that pays it.
#[derive(Debug, Clone)]
pub struct Line {
    /// What and why.
    pub reason: Reason,
    /// Amount, to the cent.
    pub amount: Decimal,
}

/// What one class receives.
#[derive(Debug, Clone)]
pub struct ClassPayout {
    /// Display name.
    pub name: String,
    /// Shares outstanding.
    pub shares: Decimal,
    /// Amount, to the cent.
    pub payout: Decimal,
    /// Amount per share, to six decimal places.
    pub per_share: Decimal,
    /// Whether the class converted into common.
    pub converted: bool,
    /// The amount by clause.
    pub lines: Vec<Line>,
}

/// What an option or warrant pool nets.
#[derive(Debug, Clone)]
pub struct PoolPayout {
    /// Pool name.
    pub name: String,
    /// The class it buys.
    pub class: String,
    /// Shares it can buy.
    pub count: Decimal,
    /// Exercise price per share.
    pub strike: Decimal,
    /// Whether it is exercised.
    pub exercised: bool,
    /// Exercise price paid in.
    pub paid_in: Decimal,
    /// Net amount (received less exercise price), to the cent.
    pub payout: Decimal,
}

/// What one holder receives.
#[derive(Debug, Clone)]
pub struct HolderPayout {
    /// Holder name (or "other holders of X").
    pub name: String,
    /// `false` for the line standing for the class's holders not named
    /// (whose `name` is "other holders of X").
    pub named: bool,
    /// Class held.
    pub class: String,
    /// Shares held.
    pub shares: Decimal,
    /// Amount, to the cent.
    pub payout: Decimal,
}

/// A group's payout: the sum of its members' figures as shown.
#[derive(Debug, Clone)]
pub struct GroupPayout {
    /// The group's name.
    pub name: String,
    /// Its members, as the tables name them (a holder with the class held).
    pub members: Vec<String>,
    /// Amount, to the cent.
    pub payout: Decimal,
    /// Where the group is declared.
    pub cite: Cite,
}

/// A group member as the tables name it.
fn member_name(charter: &Charter, m: crate::ir::Member) -> String {
    match m {
        crate::ir::Member::Class(id) => charter.classes.get(id).map(|c| c.name.clone()),
        crate::ir::Member::Pool(i) => charter.pools.get(i).map(|p| p.name.clone()),
        crate::ir::Member::Holder(i) => charter.holders.get(i).map(|h| {
            let class = charter.classes.get(h.class).map_or("", |c| c.name.as_str());
            format!("{} ({class})", h.name)
        }),
    }
    .unwrap_or_default()
}

/// Who takes a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decider {
    /// One class, converting at its holders' option.
    Class,
    /// Several classes converting together on one election.
    Group,
    /// An option or warrant pool, exercising.
    Pool,
}

/// How a conversion (or exercise) decision came out.
#[derive(Debug, Clone)]
pub struct Decision {
    /// Who decides, in words.
    pub who: String,
    /// What kind of decider.
    pub decider: Decider,
    /// Converted or exercised.
    pub switched: bool,
    /// What it receives as decided, to the cent.
    pub chosen: Decimal,
    /// What it would receive deciding otherwise alone, to the cent.
    pub alternative: Decimal,
    /// The clause giving the right.
    pub cite: Cite,
}

/// The answer to `payout AMOUNT [as EVENT]`.
#[derive(Debug, Clone)]
pub struct Payout {
    /// The exit amount.
    pub exit: Decimal,
    /// The deemed liquidation applied, or `None` for a liquidation.
    pub event: Option<String>,
    /// Per class, in declaration order.
    pub classes: Vec<ClassPayout>,
    /// Per option or warrant pool.
    pub pools: Vec<PoolPayout>,
    /// Per named holder, with the rest of each class they hold in.
    pub holders: Vec<HolderPayout>,
    /// Per group of parties, in declaration order.
    pub groups: Vec<GroupPayout>,
    /// Conversion and exercise decisions.
    pub decisions: Vec<Decision>,
    /// Facts assumed.
    pub assumptions: Vec<(String, Cite)>,
    /// Exit per share with all preferred converted.
    pub distribution_per_share: Decimal,
}

/// Resolves an event by its charter name or by a transaction kind.
pub(crate) fn find_event(charter: &Charter, name: &Spanned<String>) -> Result<usize, Problem> {
    let wanted = name.node.trim();
    let by_kind = EventKind::from_word(&wanted.to_lowercase());
    charter
        .events
        .iter()
        .position(|e| e.name.eq_ignore_ascii_case(wanted) || by_kind.is_some_and(|k| e.kinds.contains(&k)))
        .ok_or_else(|| {
            let known: Vec<String> = charter
                .events
                .iter()
                .flat_map(|e| std::iter::once(format!("\"{}\"", e.name)).chain(e.kinds.iter().map(|k| k.word().to_string())))
                .collect();
            let spellings = known.iter().map(|k| k.trim_matches('"'));
            let help = if known.is_empty() {
                "this charter deems no transaction a liquidation; leave out the event for an actual liquidation".to_string()
            } else if let Some(s) = crate::diagnostic::did_you_mean(wanted, spellings) {
                format!("{s} events this charter defines: {}", known.join(", "))
            } else {
                format!("events this charter defines: {}", known.join(", "))
            };
            Problem::new(Kind::UnknownEvent(wanted.to_string()), name.span, "not a deemed liquidation of this charter").with_help(help)
        })
}

/// The problem for an arithmetic failure on the amount at `span`.
pub(crate) fn amount_problem(span: crate::ir::Span) -> impl Fn(Kind) -> Problem + Copy {
    move |k: Kind| {
        Problem::new(k, span, "this amount").with_help(
            "amounts up to about $10^16, and up to 10^16 shares, can be computed exactly",
        )
    }
}

/// An exit must be whole cents and at most [`MAX_EXIT`].
pub(crate) fn check_exit(exit: &Spanned<Decimal>) -> Result<(), Problem> {
    if exit.node.round_dp(2) != exit.node {
        return Err(Problem::new(
            Kind::BadNumber(format!(
                "`{}` has fractions of a cent",
                num::plain(exit.node)
            )),
            exit.span,
            "this amount",
        )
        .with_help("give the amount distributed in dollars and cents"));
    }
    if exit.node > Decimal::from(MAX_EXIT) {
        return Err(Problem::new(
            Kind::NumberTooLarge(num::dollars(exit.node)),
            exit.span,
            "this amount",
        )
        .with_help(
            "payouts are computed exactly for amounts up to $10,000,000,000,000,000 (10^16)",
        ));
    }
    Ok(())
}

/// Who payout results are for, exactly: classes on their outstanding shares
/// and pools net of their exercise price.
pub fn payout(
    charter: &Charter,
    exit: &Spanned<Decimal>,
    event: Option<&Spanned<String>>,
) -> Result<Payout, Problem> {
    let at = amount_problem(exit.span);
    check_exit(exit)?;
    let event_id = event.map(|e| find_event(charter, e)).transpose()?;
    let ev = event_id.and_then(|i| charter.events.get(i));
    // Accrued dividends on conversion are in the tier this exit reads.
    let terms = conversion_dividends::at(
        charter,
        charter.event(event_id),
        exit.node,
        conversion_dividends::Side::At,
    )
    .map_err(at)?;
    let terms = &*terms;
    // The decisions are those of the exit curve's regime at this exit, so
    // that a payout and the curve read at the same exit are one number.
    let units = deciders::units(charter);
    let prices = prices::prices(charter, terms, &units, exit.node).map_err(at)?;
    let d = match prices::direct(charter, terms, &units, &prices, exit.node).map_err(at)? {
        Some(d) => d,
        None => {
            let curve = curve::walk(charter, terms, Some(exit.node), curve::Detail::Decisions)
                .map_err(at)?;
            curve
                .regimes
                .get(curve.regime_at(exit.node))
                .map(|r| r.decisions.clone())
                .unwrap_or_else(|| deciders::nobody(charter))
        }
    };
    let w = waterfall::build(charter, terms, &d, exit.node).map_err(at)?;
    let f = waterfall::fill(&w, charter.classes.len()).map_err(at)?;
    if f.unclaimed > Decimal::ZERO {
        return Err(unclaimed(f.unclaimed, exit.span));
    }
    let exact = deciders::amounts(charter, &w, &d, &f.total).map_err(at)?;
    let split = cents(charter, exit.node, &exact).map_err(at)?;

    let classes = (0..charter.classes.len())
        .map(|id| class_payout(charter, &w, &f, &d, &split, id))
        .collect::<Result<Vec<_>, _>>()
        .map_err(at)?;
    let pools = pool_payouts(charter, &d, &split).map_err(at)?;

    // Each decider's payout as decided and as it would be deciding otherwise
    // alone. As decided, it is the apportioned cents the table shows (one
    // figure, one number); otherwise, the exact alternative to the nearest
    // cent, or the same cents where the two are exactly equal.
    let cents: Vec<Decimal> = split.classes.iter().chain(&split.pools).copied().collect();
    let mut decisions = Vec::with_capacity(units.len());
    let reached = prices::residual(&w).map_err(at)?;
    for (i, (unit, cite)) in units.into_iter().enumerate() {
        let priced = prices.get(i).copied().flatten().is_some();
        let alternative =
            otherwise(charter, terms, (&w, &reached), &d, &unit, priced, exit.node).map_err(at)?;
        decisions.push(Decision {
            who: deciders::unit_name(charter, &unit),
            decider: match unit {
                Unit::Class(_) => Decider::Class,
                Unit::Group(_) => Decider::Group,
                Unit::Pool(_) => Decider::Pool,
            },
            switched: deciders::switched(charter, &d, &unit),
            chosen: unit_amount(charter, &unit, &cents),
            alternative: if alternative == unit_amount(charter, &unit, &exact) {
                unit_amount(charter, &unit, &cents)
            } else {
                alternative.round_dp(2)
            },
            cite,
        });
    }

    Ok(Payout {
        exit: exit.node,
        event: ev.map(|e| e.name.clone()),
        classes,
        pools,
        holders: split.holders,
        groups: charter
            .groups
            .iter()
            .zip(&split.groups)
            .map(|(g, payout)| GroupPayout {
                name: g.name.clone(),
                members: g.members.iter().map(|m| member_name(charter, *m)).collect(),
                payout: *payout,
                cite: g.cite.clone(),
            })
            .collect(),
        decisions,
        assumptions: ev.map(|e| e.assumptions.clone()).unwrap_or_default(),
        distribution_per_share: waterfall::distribution_per_share(charter, exit.node)
            .map_err(at)?,
    })
}

/// Proceeds that no class can take: every class sharing the residual has
/// reached its cap, and no common stock is outstanding.
pub fn unclaimed_kind(amount: Decimal) -> Kind {
    Kind::Unsupported(format!(
        "{} is left with no class to take it: every class sharing the residual has reached its cap and no common stock is outstanding",
        num::dollars(amount)
    ))
}

/// The problem of proceeds that no class can take, at the amount asked for.
pub fn unclaimed(amount: Decimal, span: crate::ir::Span) -> Problem {
    Problem::new(unclaimed_kind(amount), span, "this amount")
}

/// A decider's amount among `amounts` (classes, then pools): a group's is
/// its members'.
fn unit_amount(charter: &Charter, unit: &Unit, amounts: &[Decimal]) -> Decimal {
    let get = |i: usize| amounts.get(i).copied().unwrap_or_default();
    match unit {
        Unit::Class(id) => get(*id),
        Unit::Pool(p) => get(charter.classes.len().saturating_add(*p)),
        Unit::Group(g) => charter
            .conversion
            .groups
            .get(*g)
            .map(|g| {
                g.members
                    .iter()
                    .fold(Decimal::ZERO, |a, m| a.saturating_add(get(*m)))
            })
            .unwrap_or_default(),
    }
}

/// What `unit` would receive deciding otherwise alone: solved from the
/// waterfall `w` (and its residual) for a decider with a price, else from a
/// waterfall built for the switch.
fn otherwise(
    charter: &Charter,
    terms: &crate::ir::Terms,
    (w, reached): (&waterfall::Waterfall, &Option<prices::Residual>),
    d: &waterfall::Decisions,
    unit: &Unit,
    priced: bool,
    exit: Decimal,
) -> Result<Decimal, Kind> {
    if priced && let Some(v) = prices::alternative_by_price(charter, terms, w, reached, d, unit)? {
        return Ok(v);
    }
    let alt_d = deciders::toggle(charter, d, unit);
    let alt_w = waterfall::build_bare(charter, terms, &alt_d, exit)?;
    let alt = deciders::amounts_of(charter, &alt_w, &alt_d, unit)?;
    Ok(unit_amount(charter, unit, &alt))
}

/// Class `id`'s line of a payout: its cents, per share, decision, and the
/// cents of each reason (apportioned by the same remainder rule).
fn class_payout(
    charter: &Charter,
    w: &waterfall::Waterfall,
    f: &waterfall::Fill,
    d: &waterfall::Decisions,
    split: &Cents,
    id: crate::ir::ClassId,
) -> Result<ClassPayout, Kind> {
    let Some(c) = charter.classes.get(id) else {
        return Err(Kind::Overflow("class".to_string()));
    };
    let payout = split.classes.get(id).copied().unwrap_or_default();
    let eff = w.shares.get(id).copied().unwrap_or_default();
    let scale = if eff.is_zero() {
        Decimal::ZERO
    } else {
        c.outstanding.div(eff, "share of class")?
    };
    let reasons = f.by_reason.get(id).cloned().unwrap_or_default();
    // Where the class's shares are not all owed alike, what its claim pays
    // divides by what each share is owed, the residual by shares.
    let owed = w.owed.get(id).and_then(Option::as_ref);
    let claim_scale = match owed {
        Some(o) => Some(o.claim_share(c.outstanding, true)?.decimal()),
        None => None,
    };
    let in_claim = |r: usize| {
        w.tranches
            .iter()
            .filter(|t| !t.residual)
            .any(|t| w.shares(t).iter().any(|s| s.0 == id && s.2 == r))
    };
    let line_exact: Vec<Decimal> = reasons
        .iter()
        .map(|(r, a)| match claim_scale.filter(|_| in_claim(*r)) {
            Some(cs) => a.mul(cs, "explanation line"),
            None => a.mul(scale, "explanation line"),
        })
        .collect::<Result<_, _>>()?;
    let line_cents = apportion::to_cents(payout, &line_exact)?;
    let lines = reasons
        .iter()
        .zip(line_cents)
        .filter_map(|((r, _), amount)| {
            w.reasons.get(*r).map(|reason| Line {
                reason: reason.clone(),
                amount,
            })
        })
        .collect();
    let per_share = if c.outstanding.is_zero() {
        Decimal::ZERO
    } else {
        payout
            .div(c.outstanding, "per share")?
            .round_dp_with_strategy(6, RoundingStrategy::MidpointAwayFromZero)
    };
    Ok(ClassPayout {
        name: c.name.clone(),
        shares: c.outstanding,
        payout,
        per_share,
        converted: d.converted.get(id).copied().unwrap_or(false),
        lines,
    })
}

/// Each option or warrant pool's line of a payout.
fn pool_payouts(
    charter: &Charter,
    d: &waterfall::Decisions,
    split: &Cents,
) -> Result<Vec<PoolPayout>, Kind> {
    let mut pools = Vec::new();
    for (p, pool) in charter.pools.iter().enumerate() {
        let exercised = d.exercised.get(p).copied().unwrap_or(false);
        pools.push(PoolPayout {
            name: pool.name.clone(),
            class: charter
                .classes
                .get(pool.class)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            count: pool.count,
            strike: pool.strike,
            exercised,
            paid_in: if exercised {
                pool.count.mul(pool.strike, "exercise price paid")?
            } else {
                Decimal::ZERO
            },
            payout: split.pools.get(p).copied().unwrap_or_default(),
        });
    }
    Ok(pools)
}

/// Amounts to the cent.
#[derive(Debug, Clone)]
pub struct Cents {
    /// Per class.
    pub classes: Vec<Decimal>,
    /// Per pool, net.
    pub pools: Vec<Decimal>,
    /// Per named holder, with the rest of each class they hold in.
    pub holders: Vec<HolderPayout>,
    /// Per group, the sum of its members' cents.
    pub groups: Vec<Decimal>,
}

/// Rounds exact amounts (classes, then pools, summing to `exit`) to the cent
/// by the remainder rule, then splits each class's cents among its named
/// holders and the rest of the class by shares, by the same rule. The payout
/// and the curve both round here.
pub fn cents(charter: &Charter, exit: Decimal, exact: &[Decimal]) -> Result<Cents, Kind> {
    let all = apportion::to_cents(exit, exact)?;
    let n = charter.classes.len().min(all.len());
    let (class_cents, pool_cents) = all.split_at(n);
    let mut holders = Vec::new();
    // Each named holding's cents, by its index among the charter's holders.
    let mut held_cents = vec![Decimal::ZERO; charter.holders.len()];
    for (id, c) in charter.classes.iter().enumerate() {
        let (indices, named): (Vec<usize>, Vec<&crate::ir::Holder>) = charter
            .holders
            .iter()
            .enumerate()
            .filter(|(_, h)| h.class == id)
            .unzip();
        if named.is_empty() {
            continue;
        }
        let payout = class_cents.get(id).copied().unwrap_or_default();
        let class_exact = exact.get(id).copied().unwrap_or_default();
        let per = if c.outstanding.is_zero() {
            Decimal::ZERO
        } else {
            class_exact.div(c.outstanding, "per share")?
        };
        let mut parts: Vec<Decimal> = named
            .iter()
            .map(|h| h.shares.mul(per, "holder payout"))
            .collect::<Result<_, _>>()?;
        let held = num::sum(named.iter().map(|h| h.shares), "shares held")?;
        let rest_shares = c.outstanding.sub(held, "other holders")?;
        parts.push(class_exact.sub(num::sum(parts.iter().copied(), "holders")?, "other holders")?);
        let split = apportion::to_cents(payout, &parts)?;
        for ((h, amount), i) in named.iter().zip(&split).zip(&indices) {
            if let Some(slot) = held_cents.get_mut(*i) {
                *slot = *amount;
            }
            holders.push(HolderPayout {
                name: h.name.clone(),
                named: true,
                class: c.name.clone(),
                shares: h.shares,
                payout: *amount,
            });
        }
        if rest_shares > Decimal::ZERO {
            holders.push(HolderPayout {
                name: format!("other holders of {}", c.name),
                named: false,
                class: c.name.clone(),
                shares: rest_shares,
                payout: split.last().copied().unwrap_or_default(),
            });
        }
    }
    let groups = charter
        .groups
        .iter()
        .map(|g| {
            num::sum(
                g.members.iter().map(|m| {
                    match m {
                        crate::ir::Member::Class(id) => class_cents.get(*id).copied(),
                        crate::ir::Member::Pool(i) => pool_cents.get(*i).copied(),
                        crate::ir::Member::Holder(i) => held_cents.get(*i).copied(),
                    }
                    .unwrap_or_default()
                }),
                "a group's payout",
            )
        })
        .collect::<Result<_, _>>()?;
    Ok(Cents {
        classes: class_cents.to_vec(),
        pools: pool_cents.to_vec(),
        holders,
        groups,
    })
}
