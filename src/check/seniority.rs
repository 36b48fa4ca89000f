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
    /// The group's root, every class on the way pointed straight at it, so
    /// that a chain of `pari passu` joins costs O(N) in all, not O(N²).
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while let Some(&p) = self.parent.get(r) {
            if p == r {
                break;
            }
            r = p;
        }
        let mut c = x;
        while c != r {
            let Some(slot) = self.parent.get_mut(c) else {
                break;
            };
            c = std::mem::replace(slot, r);
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
    let edges = statements(ctx, classes, clauses, &mut groups);

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

    if report_loop(ctx, classes, &group_edges, &root) {
        return Vec::new();
    }
    let ordered = order_groups(ctx, classes, ranked, &group_edges, &root);

    let rules = shortfall_rules(ctx, classes, clauses, block_cite, &root);
    // Each group's members in declaration order, bucketed in one pass:
    // O(N), where filtering the classes for each group was O(N²).
    let mut members: Vec<Vec<ClassId>> = vec![Vec::new(); n];
    for &c in ranked {
        if let Some(list) = members.get_mut(group(c)) {
            list.push(c);
        }
    }
    ordered
        .into_iter()
        .map(|g| {
            let list = members.get_mut(g).map(std::mem::take).unwrap_or_default();
            rank(ctx, classes, list, &rules)
        })
        .collect()
}

/// Reads the seniority statements: `pari passu` joins groups, and each
/// `senior to` / `junior to` gives an edge from the senior class to the
/// junior one (common always takes only the residual, so an edge to it says
/// nothing).
fn statements(
    ctx: &mut Ctx,
    classes: &[Class],
    clauses: &[&Clause<LiquidationClause>],
    groups: &mut Groups,
) -> Vec<(ClassId, ClassId, Span)> {
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
    edges
}

/// Two classes the statements leave unordered, named in the order the
/// charter first mentions them, with the three statements that would order
/// them.
fn unordered(classes: &[Class], a: ClassId, b: ClassId) -> Problem {
    let span = classes.get(b).map(|c| c.span).unwrap_or_default();
    let (x, y) = (ident(classes, a), ident(classes, b));
    Problem::new(
        Kind::UnorderedClasses {
            a: name(classes, a),
            b: name(classes, b),
        },
        span,
        "declared here",
    )
    .with_help(format!(
        "add `{x} senior to {y}`, `{x} junior to {y}` or `{x} pari passu with {y}` to the liquidation block"
    ))
}

/// Reports a loop of seniority among the groups, if there is one: the first
/// statement that closes one, naming every class in it.
fn report_loop(
    ctx: &mut Ctx,
    classes: &[Class],
    group_edges: &[(usize, usize, Span)],
    root: &[usize],
) -> bool {
    let n = classes.len();
    let group = |c: ClassId| root.get(c).copied().unwrap_or(c);
    let is_common = |id: ClassId| classes.get(id).is_some_and(|c| c.common);
    // A loop of seniority: a group's component holding more than it.
    // Components, the order and the check below are linear in the classes
    // and statements (a matrix of reachability was cubic).
    let comp = components(n, group_edges);
    let in_loop = group_edges
        .iter()
        .find(|(a, b, _)| comp.get(*a) == comp.get(*b));
    if let Some((a, _, span)) = in_loop {
        let members: Vec<String> = (0..n)
            .filter(|&c| !is_common(c) && comp.get(group(c)) == comp.get(*a))
            .map(|c| format!("`{}`", name(classes, c)))
            .collect();
        ctx.problems.push(
            Problem::new(
                Kind::SeniorityCycle(format!(
                    "{} each rank ahead of another in a loop",
                    crate::check::names::names_list(members.into_iter())
                )),
                *span,
                "this statement closes the loop",
            )
            .with_help("check which class the charter pays first and remove the statement that contradicts it"),
        );
        return true;
    }
    false
}

/// The groups holding a preference, most senior first; reports the first
/// two that the statements leave unordered.
fn order_groups(
    ctx: &mut Ctx,
    classes: &[Class],
    ranked: &[ClassId],
    group_edges: &[(usize, usize, Span)],
    root: &[usize],
) -> Vec<usize> {
    let n = classes.len();
    let group = |c: ClassId| root.get(c).copied().unwrap_or(c);
    // The groups that hold a preference, in the order first met.
    let mut group_ids: Vec<usize> = Vec::new();
    let mut seen = vec![false; n];
    for &c in ranked {
        let g = group(c);
        if let Some(slot) = seen.get_mut(g)
            && !*slot
        {
            *slot = true;
            group_ids.push(g);
        }
    }
    // Most senior first; among groups the statements leave unordered, the
    // one met first.
    let mut position = vec![usize::MAX; n];
    for (i, g) in group_ids.iter().enumerate() {
        if let Some(slot) = position.get_mut(*g) {
            *slot = i;
        }
    }
    let order = topological(n, group_edges, &position);
    // Every two preferred groups must be ordered: with the groups in
    // topological order, each must be reached from the one before it. The
    // latest preferred group reaching each group tells.
    let mut latest: Vec<Option<usize>> = vec![None; n];
    let mut adjacency: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (a, b, _) in group_edges {
        if let Some(list) = adjacency.get_mut(*a) {
            list.push(*b);
        }
    }
    let mut at = vec![usize::MAX; n];
    for (i, &g) in order.iter().enumerate() {
        if let Some(slot) = at.get_mut(g) {
            *slot = i;
        }
    }
    let at = |g: usize| at.get(g).copied().unwrap_or(usize::MAX);
    let mut ordered: Vec<usize> = Vec::new();
    let mut reported = false;
    for &g in &order {
        let preferred = position.get(g).is_some_and(|p| *p != usize::MAX);
        if preferred {
            if let Some(&before) = ordered.last() {
                let reached = latest.get(g).copied().flatten() == Some(before);
                if !reached && !reported {
                    reported = true;
                    // Name the two in the order the charter first mentions them.
                    let (a, b) = if position.get(before) <= position.get(g) {
                        (before, g)
                    } else {
                        (g, before)
                    };
                    let ca = ranked.iter().copied().find(|&c| group(c) == a).unwrap_or(a);
                    let cb = ranked.iter().copied().find(|&c| group(c) == b).unwrap_or(b);
                    ctx.problems.push(unordered(classes, ca, cb));
                }
            }
            ordered.push(g);
        }
        // What this group passes on: itself if preferred, else what reached it.
        let passes = if preferred {
            Some(g)
        } else {
            latest.get(g).copied().flatten()
        };
        if let Some(p) = passes {
            let pi = at(p);
            for &next in adjacency.get(g).map(Vec::as_slice).unwrap_or(&[]) {
                if let Some(slot) = latest.get_mut(next) {
                    let better = slot.is_none_or(|q| at(q) < pi);
                    if better {
                        *slot = Some(p);
                    }
                }
            }
        }
    }
    ordered
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
            Problem::new(
                Kind::MissingShortfall(crate::check::names::names_list(names.into_iter())),
                span,
                "a class of this rank",
            )
                .with_help(format!(
                    "add `shortfall {}: ratably by full preferential amount` (or `by shares`, `by original issue price`), as the charter says",
                    crate::check::names::names_list(idents.into_iter())
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

/// The strongly connected component of each node of a graph on `0..n`
/// (Kosaraju's algorithm, without recursion so that a long chain cannot
/// exhaust the stack). O(n + e).
fn components(n: usize, edges: &[(usize, usize, Span)]) -> Vec<usize> {
    let mut fwd: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut rev: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (a, b, _) in edges {
        if let (Some(f), Some(r)) = (fwd.get_mut(*a), rev.get_mut(*b)) {
            f.push(*b);
            r.push(*a);
        }
    }
    // First pass: the order in which depth-first searches finish.
    let mut done = vec![false; n];
    let mut finished = Vec::with_capacity(n);
    for start in 0..n {
        if done.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        if let Some(d) = done.get_mut(start) {
            *d = true;
        }
        while let Some((v, i)) = stack.pop() {
            match fwd.get(v).and_then(|list| list.get(i)) {
                Some(&w) => {
                    stack.push((v, i.saturating_add(1)));
                    if let Some(d) = done.get_mut(w)
                        && !*d
                    {
                        *d = true;
                        stack.push((w, 0));
                    }
                }
                None => finished.push(v),
            }
        }
    }
    // Second pass, on the reversed graph, latest finished first.
    let mut comp = vec![usize::MAX; n];
    let mut count = 0;
    for &start in finished.iter().rev() {
        if comp.get(start).is_none_or(|c| *c != usize::MAX) {
            continue;
        }
        let mut stack = vec![start];
        if let Some(c) = comp.get_mut(start) {
            *c = count;
        }
        while let Some(v) = stack.pop() {
            for &w in rev.get(v).map(Vec::as_slice).unwrap_or(&[]) {
                if let Some(c) = comp.get_mut(w)
                    && *c == usize::MAX
                {
                    *c = count;
                    stack.push(w);
                }
            }
        }
        count = count.saturating_add(1);
    }
    comp
}

/// The nodes of an acyclic graph on `0..n` in topological order, taking
/// among the nodes free at each step the one with the lowest `position`
/// (then the lowest number). O((n + e) log n).
fn topological(n: usize, edges: &[(usize, usize, Span)], position: &[usize]) -> Vec<usize> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut incoming = vec![0usize; n];
    for (a, b, _) in edges {
        if let (Some(list), Some(k)) = (out_edges.get_mut(*a), incoming.get_mut(*b)) {
            list.push(*b);
            *k = k.saturating_add(1);
        }
    }
    let key = |v: usize| Reverse((position.get(v).copied().unwrap_or(usize::MAX), v));
    let mut free: BinaryHeap<Reverse<(usize, usize)>> = (0..n)
        .filter(|v| incoming.get(*v) == Some(&0))
        .map(key)
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse((_, v))) = free.pop() {
        order.push(v);
        for &w in out_edges.get(v).map(Vec::as_slice).unwrap_or(&[]) {
            if let Some(k) = incoming.get_mut(w) {
                *k = k.saturating_sub(1);
                if *k == 0 {
                    free.push(key(w));
                }
            }
        }
    }
    order
}
