//! Checking voting rights, board seats and protective provisions.

use super::terms::lower_threshold;
use super::{Ctx, cite_of};
use crate::diagnostic::{Kind, Problem};
use crate::ir::{
    Class, ClassId, Consent, ConsentCondition, ConsentGroup, ConsentPart, Holder, Protective,
    STANDARD_ACTIONS, Seat, SeatCount, Shift, VoteBasis, VoteRight, Voting,
};
use crate::syntax::ast::{self, Item, ProtectiveClause, Spanned, VotingClause};

/// Lowers the voting block, if there is one.
pub fn voting(ctx: &mut Ctx, classes: &[Class], items: &[Spanned<Item>]) -> Option<Voting> {
    let (block, span) = super::find_block(items, |i| match i {
        Item::Voting(x) => Some(x),
        _ => None,
    })?;
    let mut v = Voting {
        rights: vec![None; classes.len()],
        fractional: None,
        board: None,
        cumulative: None,
        shift: None,
        cite: cite_of(ctx, span, &block.cite, &None),
    };
    let mut stated: Vec<Option<ast::Span>> = vec![None; classes.len()];
    for c in &block.clauses {
        let cite = cite_of(ctx, c.span, &c.cite, &block.cite);
        match &c.node {
            VotingClause::Votes {
                classes: names,
                per_share,
                as_converted,
            } => {
                for (id, n) in ctx.names.resolve_all(names, &mut ctx.problems) {
                    if !claim(ctx, classes, &mut stated, id, &n) {
                        continue;
                    }
                    if *as_converted && classes.get(id).is_some_and(|x| x.ratio.is_none()) {
                        ctx.problems.push(
                            Problem::new(Kind::MissingConversionTerms(name(classes, id)), n.span, "votes as converted")
                                .with_help("add `conversion price $X` or `conversion ratio R` to its `stock` block"),
                        );
                    }
                    if let Some(slot) = v.rights.get_mut(id) {
                        *slot = Some(VoteRight {
                            per_share: per_share.node,
                            as_converted: *as_converted,
                            cite: cite.clone(),
                        });
                    }
                }
            }
            VotingClause::NonVoting(names) => {
                for (id, n) in ctx.names.resolve_all(names, &mut ctx.problems) {
                    claim(ctx, classes, &mut stated, id, &n);
                }
            }
            VotingClause::Fractional { mode, aggregated } => {
                v.fractional = Some((*mode, *aggregated, cite))
            }
            VotingClause::Board(seats) => {
                let lowered = self::seats(ctx, seats);
                v.board = Some((lowered, cite));
            }
            VotingClause::Cumulative => v.cumulative = Some(cite),
            VotingClause::Shift { minimum, seats } => {
                let minimum_u = u32::try_from(minimum.node.trunc().mantissa()).unwrap_or(0);
                v.shift = Some(Shift {
                    minimum: minimum_u,
                    seats: self::seats(ctx, seats),
                    cite,
                });
            }
        }
    }
    for (id, class) in classes.iter().enumerate() {
        // A SAFE or note is no stock: its holder votes only once it
        // converts.
        if class.safe.is_none() && stated.get(id).is_some_and(|s| s.is_none()) {
            ctx.problems.push(
                Problem::new(Kind::MissingVotes(class.name.clone()), class.span, "declared here")
                .with_help(format!(
                    "add `{0}: 1 vote per share` (as converted, for preferred) or `{0}: no votes` to the voting block",
                    class.ident
                )),
            );
        }
    }
    Some(v)
}

fn claim(
    ctx: &mut Ctx,
    classes: &[Class],
    stated: &mut [Option<ast::Span>],
    id: ClassId,
    n: &Spanned<String>,
) -> bool {
    match stated.get_mut(id) {
        Some(Some(first)) => {
            let first = *first;
            ctx.problems.push(
                Problem::new(
                    Kind::DuplicateTerm {
                        what: "voting right".to_string(),
                        class: name(classes, id),
                    },
                    n.span,
                    "stated again here",
                )
                .with_note(first, "first stated here"),
            );
            false
        }
        Some(slot) => {
            *slot = Some(n.span);
            true
        }
        None => false,
    }
}

fn seats(ctx: &mut Ctx, seats: &[Spanned<ast::Seat>]) -> Vec<Seat> {
    let mut out = Vec::new();
    let mut rest = 0u32;
    for s in seats {
        let electors = ctx
            .names
            .resolve_all(&s.node.electors, &mut ctx.problems)
            .into_iter()
            .map(|x| x.0)
            .collect();
        let count = match &s.node.count {
            ast::SeatCount::Fixed(n) => {
                SeatCount::Fixed(u32::try_from(n.node.trunc().mantissa()).unwrap_or(0))
            }
            ast::SeatCount::Rest => {
                rest = rest.saturating_add(1);
                if rest > 1 {
                    ctx.problems.push(
                        Problem::new(
                            Kind::Duplicate("`the rest`".to_string()),
                            s.span,
                            "a second seat for the rest",
                        )
                        .with_help("only one group elects the remaining directors"),
                    );
                }
                SeatCount::Rest
            }
            ast::SeatCount::Share(f) => SeatCount::Share(f.node.0, f.node.1),
        };
        out.push(Seat {
            electors,
            as_converted: s.node.as_converted,
            count,
        });
    }
    out
}

/// Lowers the protective provisions.
pub fn protective(
    ctx: &mut Ctx,
    classes: &[Class],
    holders: &[Holder],
    voting: bool,
    items: &[Spanned<Item>],
) -> Protective {
    let mut out = Protective::default();
    for item in items {
        let Item::Protective(block) = &item.node else {
            continue;
        };
        for c in &block.clauses {
            let cite = cite_of(ctx, c.span, &c.cite, &block.cite);
            match &c.node {
                ProtectiveClause::Action {
                    name: a,
                    description,
                } => {
                    if STANDARD_ACTIONS.iter().any(|(w, _)| *w == a.node)
                        || out.actions.iter().any(|x| x.0 == a.node)
                    {
                        ctx.problems.push(
                            Problem::new(
                                Kind::Duplicate(format!("the action `{}`", a.node)),
                                a.span,
                                "defined already",
                            )
                            .with_help("use the existing action, or give this one another name"),
                        );
                        continue;
                    }
                    out.actions
                        .push((a.node.clone(), description.node.clone(), cite));
                }
                ProtectiveClause::Consent {
                    parts,
                    conditions,
                    actions,
                } => {
                    let mut lowered = Vec::new();
                    for p in parts {
                        let basis = p.node.basis.unwrap_or(VoteBasis::Shares);
                        if basis == VoteBasis::VotingPower && !voting {
                            ctx.problems.push(
                                Problem::new(Kind::NoVotingBlock, p.span, "counts voting power")
                                    .with_help(
                                        "add a `voting { ... }` block stating each class's votes",
                                    ),
                            );
                        }
                        let group = match &p.node.group {
                            ast::ConsentGroup::Each(l) => ConsentGroup::Each(ctx.resolve_ids(l)),
                            ast::ConsentGroup::Together(l) => {
                                ConsentGroup::Together(ctx.resolve_ids(l))
                            }
                            ast::ConsentGroup::Affected => ConsentGroup::Affected,
                        };
                        lowered.push(ConsentPart {
                            threshold: lower_threshold(&p.node.threshold),
                            group,
                            basis,
                        });
                    }
                    let mut conds = Vec::new();
                    for cond in conditions {
                        if let Some(x) = condition(ctx, classes, holders, cond) {
                            conds.push(x);
                        }
                    }
                    let mut acts = Vec::new();
                    for a in actions {
                        let known = STANDARD_ACTIONS.iter().any(|(w, _)| *w == a.node)
                            || out.actions.iter().any(|x| x.0 == a.node);
                        if !known {
                            ctx.problems.push(unknown_action(&a.node, a.span, &out));
                            continue;
                        }
                        acts.push(a.node.clone());
                    }
                    out.consents.push(Consent {
                        parts: lowered,
                        conditions: conds,
                        actions: acts,
                        cite,
                    });
                }
            }
        }
    }
    out
}

/// The problem for an action that is neither standard nor defined.
pub fn unknown_action(word: &str, span: ast::Span, p: &Protective) -> Problem {
    let all: Vec<&str> = STANDARD_ACTIONS
        .iter()
        .map(|(w, _)| *w)
        .chain(p.actions.iter().map(|a| a.0.as_str()))
        .collect();
    let help = match crate::diagnostic::did_you_mean(word, all.iter().copied()) {
        Some(s) => s,
        None => format!(
            "actions: {}; or define one with `action NAME \"description\"` in the protective provisions",
            all.join(", ")
        ),
    };
    Problem::new(
        Kind::UnknownAction(word.to_string()),
        span,
        "not an action of this charter",
    )
    .with_help(help)
}

fn condition(
    ctx: &mut Ctx,
    classes: &[Class],
    holders: &[Holder],
    c: &Spanned<ast::ConsentCondition>,
) -> Option<ConsentCondition> {
    Some(match &c.node {
        ast::ConsentCondition::AtLeast { count, classes: l } => {
            ConsentCondition::AtLeast(count.node, ctx.resolve_ids(l))
        }
        ast::ConsentCondition::MoreThan { count, classes: l } => {
            ConsentCondition::MoreThan(count.node, ctx.resolve_ids(l))
        }
        ast::ConsentCondition::Any(l) => ConsentCondition::Any(ctx.resolve_ids(l)),
        ast::ConsentCondition::Including {
            holders: names,
            share,
            class,
        } => {
            let id = ctx.resolve_one(class)?;
            for h in names {
                if !holders.iter().any(|x| x.name == h.node && x.class == id) {
                    ctx.problems.push(
                        Problem::new(Kind::Impossible(format!("\"{}\" is not a named holder of `{}`", h.node, name(classes, id))), h.span, "not in the `holders` block")
                            .with_help("name the holder and its shares in the `holders` block, spelled the same way"),
                    );
                }
            }
            ConsentCondition::Including {
                holders: names.iter().map(|h| h.node.clone()).collect(),
                share: share.node,
                class: id,
            }
        }
        ast::ConsentCondition::UnlessKept(share) => ConsentCondition::UnlessKept(share.node),
        ast::ConsentCondition::Price {
            multiple,
            class,
            until,
        } => {
            let id = ctx.resolve_one(class)?;
            if classes.get(id).is_some_and(|x| x.issue_price.is_none()) {
                ctx.problems.push(Problem::new(
                    Kind::MissingIssuePrice(name(classes, id)),
                    class.span,
                    "the test is a multiple of its issue price",
                ));
            }
            ConsentCondition::Price {
                multiple: multiple.node,
                class: id,
                until: until.as_ref().map(|(d, m)| (d.node, m.node)),
            }
        }
    })
}

fn name(classes: &[Class], id: ClassId) -> String {
    classes.get(id).map(|c| c.name.clone()).unwrap_or_default()
}
