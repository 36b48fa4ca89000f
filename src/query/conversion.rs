//! Conversion statements: `conversion prices`, `convert`, `explain
//! conversion price`.

use rust_decimal::Decimal;

use super::{Answer, Explanation, PriceLine, Session, misrouted};
use crate::diagnostic::Problem;
use crate::eval::convert;
use crate::ir::Cite;
use crate::syntax::ast::Query;

impl Session {
    /// `conversion prices`: each series' price and ratio as they stand, with their adjustments.
    pub(super) fn prices(&mut self) -> Result<Answer, Problem> {
        let s = &self.scenario;
        Ok(Answer::Prices(
            s.charter
                .classes
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.common)
                .map(|(id, c)| PriceLine {
                    name: c.name.clone(),
                    price: s.prices.get(id).copied().flatten(),
                    ratio: c.ratio,
                    converted: s.converted.get(id).cloned().flatten(),
                    adjustments: s.log.iter().filter(|a| a.class == id).cloned().collect(),
                })
                .collect(),
        ))
    }

    /// `convert SERIES [for HOLDER] [at $FMV] [funds $X]`: common delivered and cash paid.
    pub(super) fn convert(&mut self, query: &Query, text: &str) -> Result<Answer, Problem> {
        let Query::Convert {
            class,
            holder,
            fmv,
            funds,
        } = query
        else {
            return Err(misrouted(query));
        };
        let id = self.class(class)?;
        if let Some((c, safe)) = self.scenario.charter.instrument(id) {
            return Err(Problem::new(
                crate::diagnostic::Kind::Unsupported(format!(
                    "{} is {}: it converts at a sale or an equity financing, by its terms, not at its holder's election",
                    c.name,
                    safe.kind()
                )),
                class.span,
                "this instrument",
            )
            .with_help("a payout shows what it receives at a sale: the greater of what it is owed and what it converts into"));
        }
        let outcome = convert::convert(
            &self.scenario,
            id,
            &convert::Given {
                holder: holder.as_ref(),
                fmv: fmv.as_ref(),
                funds: funds.as_ref(),
            },
            class.span,
        )?;
        // A conversion is an event: the shares leave the series and the
        // common delivered joins common, so that votes, consents and later
        // payouts see it.
        let moved: Vec<(String, Decimal, Decimal)> = outcome
            .holders
            .iter()
            .map(|h| (h.name.clone(), h.shares, h.delivered))
            .collect();
        self.scenario
            .convert_holdings(id, &moved, holder.is_none())
            .map_err(|k| crate::eval::scenario::at(k, class.span))?;
        self.scenario.events.push(text.to_string());
        Ok(Answer::Convert(outcome))
    }

    /// `explain conversion price SERIES`: the derivation from the price as filed.
    pub(super) fn explain(&mut self, query: &Query) -> Result<Answer, Problem> {
        let Query::Explain { class } = query else {
            return Err(misrouted(query));
        };
        let id = self.class(class)?;
        let s = &self.scenario;
        let original = s.original.classes.get(id);
        let now = s.charter.classes.get(id);
        Ok(Answer::Explain(Explanation {
            name: now.map(|c| c.name.clone()).unwrap_or_default(),
            initial: original.and_then(|c| c.conversion_price),
            initial_cite: original.map(|c| Cite {
                section: None,
                span: c.span,
                clause: format!("stock {}", c.ident).into(),
            }),
            issue_price: original.and_then(|c| c.issue_price),
            adjustments: s.log.iter().filter(|a| a.class == id).cloned().collect(),
            price: s.prices.get(id).copied().flatten(),
            ratio: now.and_then(|c| c.ratio),
            issue_price_now: s
                .charter
                .antidilution
                .iter()
                .find(|b| b.classes.contains(&id))
                .and_then(|b| b.issue_price.as_ref())
                .zip(now.and_then(|c| c.issue_price))
                .map(|((_, cite), ip)| (ip, cite.clone())),
        }))
    }
}
