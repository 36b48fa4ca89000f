//! Deriving ranks from `senior to`, `junior to` and `pari passu with`.
//!
//! Pari passu statements join classes into groups; seniority statements are
//! edges between groups. The edges must form no cycle, no group may be senior
//! to itself (a class both equal to and ahead of another), and every two
//! groups holding a preference must be ordered: the charter must say which is
//! paid first, or the checker asks.

use super::{Ctx, cite_of};
use crate::diagnostic::{Kind, Problem};
use crate::ir::{Cite, Class, ClassId, Rank, ShortfallRule};
use crate::syntax::ast::{Clause, LiquidationClause, Relation, Span, Spanned};

/// Union-find over class indices.
struct Groups {
    parent: Vec<usize>,
}

impl Groups {
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while let Some(&p) = self.parent.get(r) {
            if p == r {
                break;
            }
            r = p;
        }
        if let Some(slot) = self.parent.get_mut(x) {
            *slot = r;
        }
        r
    }
    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if let Some(slot) = self.parent.get_mut(ra) {
            *slot = rb;
        }
    }
}

/// Builds the ranks of the classes in `ranked` (those with a preference),
/// most senior first, with their shortfall rules.
pub fn ranks(
    ctx: &mut Ctx,
    classes: &[Class],
    ranked: &[ClassId],
    clauses: &[&Clause<LiquidationClause>],
    block_cite: &Option<Spanned<String>>,
) -> Vec<Rank> {
    let n = classes.len();
    let mut groups = Groups {
        parent: (0..n).collect(),
    };
    let mut edges: Vec<(ClassId, ClassId, Span)> = Vec::new();
    let is_common = |id: ClassId| classes.get(id).is_some_and(|c| c.common);

    for c in clauses {
        let LiquidationClause::Seniority {
            left,
            relation,
            right,
        } = &c.node
        else {
            continue;
        };
        let l = ctx.names.resolve_all(left, &mut ctx.problems);
        let r = ctx.names.resolve_all(right, &mut ctx.problems);
        let (senior, junior) = match relation {
            Relation::SeniorTo => (&l, &r),
            Relation::JuniorTo => (&r, &l),
            Relation::PariPassu => {
                for (a, an) in l.iter().chain(r.iter()) {
                    if is_common(*a) {
                        ctx.problems.push(common_ranked(classes, *a, an.span));
                    }
                }
                let all: Vec<ClassId> = l.iter().chain(r.iter()).map(|x| x.0).collect();
                for w in all.windows(2) {
                    if let [a, b] = w {
                        groups.join(*a, *b);
                    }
                }
                continue;
            }
        };
        for (s, sn) in senior {
            if is_common(*s) {
                ctx.problems.push(common_ranked(classes, *s, sn.span));
                continue;
            }
            for (j, _) in junior {
                // Preferred ranking ahead of common says nothing new: common
                // always takes only the residual.
                if !is_common(*j) {
                    edges.push((*s, *j, c.span));
                }
            }
        }
    }

    let root: Vec<usize> = (0..n).map(|c| groups.find(c)).collect();
    let group = |c: ClassId| root.get(c).copied().unwrap_or(c);

    // Contradictions: an edge inside one group.
    let mut group_edges: Vec<(usize, usize, Span)> = Vec::new();
    for (s, j, span) in &edges {
        let (gs, gj) = (group(*s), group(*j));
        if gs == gj {
            ctx.problems.push(
                Problem::new(
                    Kind::ContradictorySeniority {
                        a: name(classes, *s),
                        b: name(classes, *j),
                    },
                    *span,
                    "ranks one ahead of the other",
                )
                .with_help("the classes are joined by a `pari passu` statement; keep either that or this one"),
            );
        } else {
            group_edges.push((gs, gj, *span));
        }
    }

    // Reachability between groups (transitive closure).
    let mut reach = vec![vec![false; n]; n];
    for (a, b, _) in &group_edges {
        set(&mut reach, *a, *b);
    }
    for k in 0..n {
        for i in 0..n {
            if get(&reach, i, k) {
                for j in 0..n {
                    if get(&reach, k, j) {
                        set(&mut reach, i, j);
                    }
                }
            }
        }
    }
    let mut cyclic = false;
    for (a, b, span) in &group_edges {
        if get(&reach, *b, *a) && !cyclic {
            cyclic = true;
            let members: Vec<String> = (0..n)
                .filter(|&c| {
                    let g = group(c);
                    !is_common(c) && get(&reach, *a, g) && get(&reach, g, *a)
                })
                .map(|c| format!("`{}`", name(classes, c)))
                .collect();
            ctx.problems.push(
                Problem::new(
                    Kind::SeniorityCycle(format!("{} each rank ahead of another in a loop", members.join(", "))),
                    *span,
                    "this statement closes the loop",
                )
                .with_help("check which class the charter pays first and remove the statement that contradicts it"),
            );
        }
    }
    if cyclic {
        return Vec::new();
    }

    // The groups that hold a preference, ordered by how many groups are senior.
    let mut group_ids: Vec<usize> = Vec::new();
    for &c in ranked {
        let g = group(c);
        if !group_ids.contains(&g) {
            group_ids.push(g);
        }
    }
    let mut reported = false;
    for (i, &a) in group_ids.iter().enumerate() {
        for &b in group_ids.iter().skip(i + 1) {
            if !get(&reach, a, b) && !get(&reach, b, a) && !reported {
                reported = true;
                let ca = ranked.iter().copied().find(|&c| group(c) == a).unwrap_or(a);
                let cb = ranked.iter().copied().find(|&c| group(c) == b).unwrap_or(b);
                let span = classes.get(cb).map(|c| c.span).unwrap_or_default();
                ctx.problems.push(
                    Problem::new(
                        Kind::UnorderedClasses {
                            a: name(classes, ca),
                            b: name(classes, cb),
                        },
                        span,
                        "declared here",
                    )
                    .with_help(format!(
                        "add `{} senior to {}`, `{} junior to {}` or `{} pari passu with {}` to the liquidation block",
                        ident(classes, ca), ident(classes, cb), ident(classes, ca), ident(classes, cb), ident(classes, ca), ident(classes, cb)
                    )),
                );
            }
        }
    }
    let seniors = |g: usize| group_ids.iter().filter(|&&o| get(&reach, o, g)).count();
    let mut ordered = group_ids.clone();
    ordered.sort_by_key(|&g| seniors(g));

    let rules = shortfall_rules(ctx, classes, clauses, block_cite, &root);
    ordered
        .into_iter()
        .map(|g| {
            let members: Vec<ClassId> = ranked.iter().copied().filter(|&c| group(c) == g).collect();
            rank(ctx, classes, members, &rules)
        })
        .collect()
}

/// The shortfall rule stated for each class, with its clause.
type Rules = Vec<Option<(ShortfallRule, Cite, Span)>>;

fn shortfall_rules(
    ctx: &mut Ctx,
    classes: &[Class],
    clauses: &[&Clause<LiquidationClause>],
    block_cite: &Option<Spanned<String>>,
    root: &[usize],
) -> Rules {
    let group = |c: ClassId| root.get(c).copied().unwrap_or(c);
    let mut rules: Rules = vec![None; classes.len()];
    for c in clauses {
        let LiquidationClause::Shortfall {
            classes: names,
            rule,
        } = &c.node
        else {
            continue;
        };
        let ids = ctx.names.resolve_all(names, &mut ctx.problems);
        let cite = cite_of(ctx, c.span, &c.cite, block_cite);
        let first_group = ids.first().map(|(id, _)| group(*id));
        for (id, n) in &ids {
            if Some(group(*id)) != first_group {
                ctx.problems.push(
                    Problem::new(Kind::ClassInTwoRanks(n.node.clone()), n.span, "not pari passu with the first class listed")
                        .with_help("a shortfall rule applies within one rank: list only classes that are pari passu"),
                );
                continue;
            }
            match rules.get_mut(*id) {
                Some(Some((_, _, first))) => {
                    let first = *first;
                    ctx.problems.push(
                        Problem::new(
                            Kind::DuplicateTerm {
                                what: "shortfall rule".to_string(),
                                class: name(classes, *id),
                            },
                            n.span,
                            "stated again here",
                        )
                        .with_note(first, "first stated here"),
                    );
                }
                Some(slot) => *slot = Some((*rule, cite.clone(), c.span)),
                None => {}
            }
        }
    }
    rules
}

fn rank(ctx: &mut Ctx, classes: &[Class], members: Vec<ClassId>, rules: &Rules) -> Rank {
    let stated: Vec<&(ShortfallRule, Cite, Span)> = members
        .iter()
        .filter_map(|&c| rules.get(c).and_then(|r| r.as_ref()))
        .collect();
    if members.len() > 1 && stated.len() < members.len() {
        let names: Vec<String> = members
            .iter()
            .map(|&c| format!("`{}`", name(classes, c)))
            .collect();
        let span = members
            .iter()
            .find(|&&c| rules.get(c).is_none_or(|r| r.is_none()))
            .and_then(|&c| classes.get(c))
            .map(|c| c.span)
            .unwrap_or_default();
        let idents: Vec<String> = members.iter().map(|&c| ident(classes, c)).collect();
        ctx.problems.push(
            Problem::new(Kind::MissingShortfall(names.join(", ")), span, "a class of this rank")
                .with_help(format!(
                    "add `shortfall {}: ratably by full preferential amount` (or `by shares`, `by original issue price`), as the charter says",
                    idents.join(", ")
                )),
        );
    }
    if let Some(((r0, _, _), rest)) = stated.split_first().map(|(f, r)| (*f, r)) {
        for (r, _, span) in rest {
            if r != r0 {
                ctx.problems.push(
                    Problem::new(
                        Kind::DuplicateTerm {
                            what: "shortfall rule".to_string(),
                            class: "this rank".to_string(),
                        },
                        *span,
                        "a different rule for the same rank",
                    )
                    .with_help("one rank shares a shortfall by one rule"),
                );
            }
        }
    }
    let (rule, cite) = stated
        .first()
        .map_or((ShortfallRule::ByShares, None), |(r, c, _)| {
            (*r, Some(c.clone()))
        });
    if rule == ShortfallRule::ByIssuePrice {
        for c in members
            .iter()
            .filter_map(|&c| classes.get(c))
            .filter(|c| c.issue_price.is_none())
        {
            let span = cite.as_ref().map_or(c.span, |x| x.span);
            ctx.problems.push(
                Problem::new(
                    Kind::MissingIssuePrice(c.name.clone()),
                    span,
                    "shares a shortfall by original issue price",
                )
                .with_help(format!(
                    "add `original issue price $X` to the `stock {}` block",
                    c.ident
                )),
            );
        }
    }
    Rank {
        classes: members,
        rule,
        cite,
    }
}

fn common_ranked(classes: &[Class], id: ClassId, span: Span) -> Problem {
    Problem::new(
        Kind::CommonTerm(name(classes, id), "rank among the preferences".to_string()),
        span,
        "common stock",
    )
    .with_help("common stock takes what remains after the preferences; leave it out of seniority statements except as the junior class")
}

fn name(classes: &[Class], id: ClassId) -> String {
    classes.get(id).map(|c| c.name.clone()).unwrap_or_default()
}

fn ident(classes: &[Class], id: ClassId) -> String {
    classes.get(id).map(|c| c.ident.clone()).unwrap_or_default()
}

fn get(m: &[Vec<bool>], a: usize, b: usize) -> bool {
    m.get(a).and_then(|r| r.get(b)).copied().unwrap_or(false)
}

fn set(m: &mut [Vec<bool>], a: usize, b: usize) {
    if let Some(x) = m.get_mut(a).and_then(|r| r.get_mut(b)) {
        *x = true;
    }
}
