//! Cash on conversion: an amount a share paid to a class that converts, on
//! top of its common shares, where the class has a conversion right.

use super::*;

/// Lowers a `cash on conversion` clause onto the rights granted.
pub(super) fn clause(
    ctx: &mut Ctx,
    classes: &[Class],
    rights: &mut [Option<ConversionRight>],
    c: &ast::Clause<ConversionClause>,
    outer: &ast::Cite,
) {
    let ConversionClause::Cash {
        items,
        plus_dividends,
        ahead_of,
    } = &c.node
    else {
        return;
    };
    let cite = cite_of(ctx, c.span, &c.cite, outer);
    let ahead: Vec<ClassId> = ctx
        .names
        .resolve_all(ahead_of, &mut ctx.problems)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    for (name, amount) in items {
        let Ok(id) = ctx.names.resolve(name).map_err(|p| ctx.problems.push(p)) else {
            continue;
        };
        let Some(class) = classes.get(id) else {
            continue;
        };
        let Some(Some(right)) = rights.get_mut(id) else {
            ctx.problems.push(
                Problem::new(
                    Kind::CashWithoutConversion(class.name.clone()),
                    name.span,
                    "no conversion right",
                )
                .with_help(format!(
                    "state how `{}` converts, e.g. `{} convert at the holder's option`",
                    class.ident, class.ident
                )),
            );
            continue;
        };
        if right.cash_cite.is_some() {
            ctx.problems.push(Problem::new(
                Kind::DuplicateTerm {
                    what: "cash on conversion".to_string(),
                    class: class.name.clone(),
                },
                name.span,
                "stated again here",
            ));
            continue;
        }
        // Declared dividends are added when the class converts
        // (`Charter::conversion_cash`), so later declarations count.
        right.cash_per_share = amount.node;
        right.cash_plus_declared = *plus_dividends;
        right.cash_cite = Some(cite.clone());
        right.cash_ahead_of = ahead.clone();
    }
}
