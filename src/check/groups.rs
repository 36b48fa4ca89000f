//! `group "Founders": "Ada", "Ben"`: each member resolved to a named holder
//! (every holding of that name), a pool or a class; groups kept disjoint, so
//! that a view by holder and group still counts every dollar once.

use std::collections::HashMap;

use super::{Ctx, cite_of};
use crate::diagnostic::{Kind, Problem, did_you_mean};
use crate::ir::{Class, Holder, Member, PartyGroup, Pool, enclosing, members_named};
use crate::syntax::ast::{self, Span, Spanned};

/// The problem of a member that names nothing.
fn unknown(
    name: &Spanned<String>,
    classes: &[Class],
    holders: &[Holder],
    pools: &[Pool],
) -> Problem {
    let spellings = holders
        .iter()
        .map(|h| h.name.as_str())
        .chain(pools.iter().map(|p| p.name.as_str()))
        .chain(
            classes
                .iter()
                .flat_map(|c| [c.ident.as_str(), c.name.as_str()]),
        );
    let mut help =
        "a group's members are named holders and pools, in quotes, or classes".to_string();
    if let Some(s) = did_you_mean(&name.node, spellings) {
        help = format!("{s} {help}");
    }
    Problem::new(
        Kind::UnknownMember(name.node.clone()),
        name.span,
        "not a named holder, pool or class of this charter",
    )
    .with_help(help)
}

/// The problem of a group that cannot be counted as one party.
fn bad(message: String, span: Span, label: &str, first: Option<Span>, help: &str) -> Problem {
    let mut p = Problem::new(Kind::BadGroup(message), span, label).with_help(help);
    if let Some(f) = first {
        p = p.with_note(f, "the first");
    }
    p
}

/// Lowers the `group` declarations, in order. O(G + M·(H + P + C)) for M
/// members written.
pub fn groups(
    ctx: &mut Ctx,
    (classes, holders, pools): (&[Class], &[Holder], &[Pool]),
    declared: &[(&ast::PartyGroup, Span)],
) -> Vec<PartyGroup> {
    let mut out = Vec::new();
    let mut names: HashMap<&str, Span> = HashMap::new();
    // Which group (by name and the span naming it) each member is in.
    let mut taken: HashMap<Member, (String, Span)> = HashMap::new();
    for (g, span) in declared {
        let name = g.name.node.as_str();
        if let Some(first) = names.get(name) {
            ctx.problems.push(bad(
                format!("the group `{name}` is declared twice"),
                g.name.span,
                "a second group of this name",
                Some(*first),
                "give each group its own name, or merge the two",
            ));
            continue;
        }
        names.insert(name, g.name.span);
        if !members_named(name, classes, holders, pools).is_empty() {
            ctx.problems.push(bad(
                format!("`{name}` names a holder, pool or class already"),
                g.name.span,
                "the group's name",
                None,
                "a statement naming it could mean either: name the group otherwise (`\"Founders\"`)",
            ));
            continue;
        }
        let mut members = Vec::new();
        for m in &g.members {
            let found = members_named(&m.node, classes, holders, pools);
            if found.is_empty() {
                ctx.problems.push(unknown(m, classes, holders, pools));
                continue;
            }
            for member in found {
                // A holding is inside its class: the two in one party (or
                // in two groups) would count its shares twice.
                let inside = enclosing(member, holders);
                let clash = taken
                    .get(&member)
                    .or_else(|| inside.and_then(|c| taken.get(&c)))
                    .cloned()
                    .or_else(|| class_clash(member, holders, &taken));
                if let Some((other, at)) = clash {
                    ctx.problems.push(bad(
                        format!("`{}` is counted in the group `{other}` already", m.node),
                        m.span,
                        "counted twice",
                        Some(at),
                        "a holder, pool or class belongs to one group at most, and a class's holders are in it with the class: list each once",
                    ));
                    continue;
                }
                taken.insert(member, (name.to_string(), m.span));
                members.push(member);
            }
        }
        out.push(PartyGroup {
            name: name.to_string(),
            members,
            cite: cite_of(ctx, *span, &g.cite, &None),
        });
    }
    out
}

/// Whether a class taken now holds a holding taken already: the group and
/// the member it clashes with.
fn class_clash(
    member: Member,
    holders: &[Holder],
    taken: &HashMap<Member, (String, Span)>,
) -> Option<(String, Span)> {
    let Member::Class(id) = member else {
        return None;
    };
    holders
        .iter()
        .enumerate()
        .filter(|(_, h)| h.class == id)
        .find_map(|(i, _)| taken.get(&Member::Holder(i)).cloned())
}
