//! Statements about what holders are owed: `declare dividend`, `redeem`,
//! `accrued`.

use super::{Answer, Session, misrouted};
use crate::diagnostic::{Kind, Problem};
use crate::eval::dividends;
use crate::eval::redemption;
use crate::eval::scenario::at;
use crate::ir::ClassId;
use crate::syntax::ast::Query;

impl Session {
    /// `declare dividend $X [to A, B] [on DATE]`: a declaration split by the dividend clauses.
    pub(super) fn declare(&mut self, query: &Query, text: &str) -> Result<Answer, Problem> {
        let Query::Declare { amount, to, date } = query else {
            return Err(misrouted(query));
        };
        let to: Vec<ClassId> = to.iter().map(|c| self.class(c)).collect::<Result<_, _>>()?;
        let s = &mut self.scenario;
        let date = s.advance(date.as_ref(), text)?;
        if amount.node.round_dp(2) != amount.node {
            return Err(Problem::new(
                Kind::BadNumber(format!("`{}` has fractions of a cent", amount.node)),
                amount.span,
                "this amount",
            ));
        }
        let d = dividends::declare(s, amount.node, date, &to).map_err(|k| at(k, amount.span))?;
        s.events.push(text.to_string());
        Ok(Answer::Declaration(d))
    }

    /// `redeem on DATE ...`: what the redemption schedule redeems then, and what stays owed.
    pub(super) fn redeem(&mut self, query: &Query, text: &str) -> Result<Answer, Problem> {
        let Query::Redeem {
            date,
            funds,
            requests,
            fmv,
            upon_transaction,
        } = query
        else {
            return Err(misrouted(query));
        };
        let mut reqs = Vec::new();
        for (class, pct) in requests {
            reqs.push((self.class(class)?, pct.node));
        }
        let s = &mut self.scenario;
        let when = s.advance(Some(date), text)?;
        let r = redemption::redeem(
            s,
            when,
            *upon_transaction,
            funds.as_ref().map(|f| f.node),
            &reqs,
            fmv.as_ref().map(|v| v.node),
        )
        .map_err(|k| at(k, date.span))?;
        s.events.push(text.to_string());
        Ok(Answer::Redeem(r))
    }

    /// `accrued [CLASS] [on DATE]`: cumulative dividends accrued and unpaid.
    pub(super) fn accrued(&mut self, query: &Query) -> Result<Answer, Problem> {
        let Query::Accrued { class, date } = query else {
            return Err(misrouted(query));
        };
        let ids: Vec<ClassId> = match class {
            Some(c) => vec![self.class(c)?],
            None => (0..self.scenario.charter.classes.len()).collect(),
        };
        let s = &self.scenario;
        let when = date.as_ref().map_or(s.date, |d| d.node);
        if when < s.date
            && let Some(d) = date
        {
            return Err(Problem::new(
                Kind::Impossible(format!("the scenario already stands at {}", s.date)),
                d.span,
                "earlier than the scenario",
            )
            .with_help("ask before the later events, or give a later date"));
        }
        let mut list = Vec::new();
        for id in ids {
            if let Some(a) =
                dividends::accrued(s, id, when).map_err(|k| at(k, Default::default()))?
            {
                list.push(a);
            }
        }
        if list.is_empty() {
            let span = class.as_ref().map(|c| c.span).unwrap_or_default();
            return Err(Problem::new(
                Kind::Impossible("no class here has cumulative dividends".to_string()),
                span,
                "here",
            )
            .with_help("dividends here are paid only when declared; see `declare dividend $X`"));
        }
        Ok(Answer::Accrued(list))
    }
}
