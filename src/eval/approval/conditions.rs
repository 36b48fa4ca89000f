//! A consent's conditions: whether each is in force on the facts given, in
//! words, and which fact would decide one that is not given.

use super::*;

/// What a consent's conditions come to.
pub(super) struct Standing {
    /// Whether the consent is required: `None` when a fact not given decides it.
    pub(super) required: Option<bool>,
    /// Each condition in words, with how it stands.
    pub(super) conditions: Vec<String>,
    /// Named holders who must be in the majority, and whether they are.
    pub(super) including: Option<(Vec<String>, Option<bool>)>,
}

/// Judges each of the consent's conditions; facts that would decide an
/// undecided one are added to `missing`.
pub(super) fn standing(
    s: &Scenario,
    c: &Consent,
    facts: &Facts,
    date: NaiveDate,
    missing: &mut Vec<String>,
) -> Result<Standing, Kind> {
    let mut st = Standing {
        required: Some(true),
        conditions: Vec::new(),
        including: None,
    };
    for cond in &c.conditions {
        match cond {
            ConsentCondition::MoreThan(n, classes) => st.outstanding(s, *n, classes, false)?,
            ConsentCondition::AtLeast(n, classes) => st.outstanding(s, *n, classes, true)?,
            ConsentCondition::Any(classes) => st.any(s, classes)?,
            ConsentCondition::Price {
                multiple,
                class,
                until,
            } => {
                let tiers = price_tiers(s, *multiple, *class, *until, date)?;
                st.price(c, tiers, facts, date, missing);
            }
            ConsentCondition::UnlessKept(limit) => st.kept(c, *limit, facts, missing),
            ConsentCondition::Including {
                holders,
                share,
                class,
            } => st.including(s, c, (holders, *share, *class), facts, missing)?,
        }
    }
    Ok(st)
}

impl Standing {
    /// A fact not given decides whether the consent is required, unless a
    /// condition already took it out of force.
    fn undecided(&mut self) {
        if self.required == Some(true) {
            self.required = None;
        }
    }

    /// "while more than (at least) N shares of ... are outstanding".
    fn outstanding(
        &mut self,
        s: &Scenario,
        n: Decimal,
        classes: &[ClassId],
        at_least: bool,
    ) -> Result<(), Kind> {
        let out = outstanding_of(s, classes)?;
        let holds = if at_least { out >= n } else { out > n };
        self.conditions.push(format!(
            "while {} {} shares of {} are outstanding: {} are ({})",
            if at_least { "at least" } else { "more than" },
            num::shares(n),
            names(s, classes),
            num::shares(out),
            if holds { "in force" } else { "not in force" }
        ));
        if !holds {
            self.required = Some(false);
        }
        Ok(())
    }

    /// "while any shares of ... are outstanding".
    fn any(&mut self, s: &Scenario, classes: &[ClassId]) -> Result<(), Kind> {
        let out = outstanding_of(s, classes)?;
        if out.is_zero() {
            self.required = Some(false);
        }
        self.conditions.push(format!(
            "while any shares of {} are outstanding: {} are",
            names(s, classes),
            num::shares(out)
        ));
        Ok(())
    }

    /// "only at a price per share below ...": `(threshold, tiers in words)`.
    fn price(
        &mut self,
        c: &Consent,
        (threshold, tiers): (Decimal, String),
        facts: &Facts,
        date: NaiveDate,
        missing: &mut Vec<String>,
    ) {
        match facts.price {
            Some(p) => {
                let applies = p < threshold;
                self.conditions.push(format!(
                    "only at a price per share {tiers}: {} on {date} is {} {}",
                    price_text(p),
                    if applies { "below" } else { "not below" },
                    price_text(threshold)
                ));
                if !applies {
                    self.required = Some(false);
                }
            }
            None => {
                self.conditions
                    .push(format!("only at a price per share {tiers}"));
                self.undecided();
                missing.push(format!(
                    "the price per share (`at $P per share`): this consent{} is required only {tiers}",
                    c.cite.paren()
                ));
            }
        }
    }

    /// "not required where the stockholders keep more than ...".
    fn kept(&mut self, c: &Consent, limit: Decimal, facts: &Facts, missing: &mut Vec<String>) {
        let unless = format!(
            "not required where the stockholders keep more than {} of the surviving or purchasing entity",
            num::percent(limit)
        );
        match facts.kept {
            Some(k) => {
                let exempt = k > limit;
                self.conditions.push(format!(
                    "{unless}: they keep {}{}",
                    num::percent(k),
                    if exempt {
                        " (not required)"
                    } else {
                        " (in force)"
                    }
                ));
                if exempt {
                    self.required = Some(false);
                }
            }
            None => {
                self.conditions.push(unless.clone());
                self.undecided();
                missing.push(format!(
                    "what share of the surviving entity the stockholders keep (`where stockholders keep P%`): this consent{} is {unless}",
                    c.cite.paren()
                ));
            }
        }
    }

    /// "the majority must include ... while they hold ... of the class".
    fn including(
        &mut self,
        s: &Scenario,
        c: &Consent,
        (holders, share, class): (&[String], Decimal, ClassId),
        facts: &Facts,
        missing: &mut Vec<String>,
    ) -> Result<(), Kind> {
        let held = num::sum(
            s.charter
                .holders
                .iter()
                .filter(|h| h.class == class && holders.contains(&h.name))
                .map(|h| h.shares),
            "shares held",
        )?;
        let out = s.outstanding(class);
        let in_force = !out.is_zero() && held >= share.mul(out, "share held")?;
        self.conditions.push(format!(
            "the majority must include {} while they hold {} of {}: they hold {} of {} ({})",
            holders.join(" and "),
            num::percent(share),
            s.name(class),
            num::shares(held),
            num::shares(out),
            if in_force { "in force" } else { "not in force" }
        ));
        if in_force {
            let all_yes = in_majority(c, holders, class, facts, missing);
            self.including = Some((holders.to_vec(), all_yes));
        }
        Ok(())
    }
}

/// Whether every one of `holders` votes for: a holder's own vote, else its
/// class's when the class votes wholly one way; `None` when that is not
/// given, and the fact is added to `missing` when votes were given.
fn in_majority(
    c: &Consent,
    holders: &[String],
    class: ClassId,
    facts: &Facts,
    missing: &mut Vec<String>,
) -> Option<bool> {
    let class_pct = facts.votes.as_ref().map(|v| {
        v.iter()
            .find(|x| x.0 == class)
            .map_or(Decimal::ZERO, |x| x.1)
    });
    let mut all_yes = Some(true);
    for h in holders {
        let vote = match facts.holders.iter().find(|x| &x.0 == h) {
            Some((_, v)) => Some(*v),
            None => match class_pct {
                Some(p) if p == Decimal::ONE => Some(true),
                Some(p) if p.is_zero() => Some(false),
                Some(_) | None => None,
            },
        };
        match vote {
            Some(false) => all_yes = Some(false),
            None if all_yes != Some(false) => {
                all_yes = None;
                if facts.votes.is_some() {
                    missing.push(format!(
                        "how \"{h}\" votes (`and \"{h}\" yes` or `no`): the consent of {} needs it in the majority",
                        c.cite.section_mark()
                    ));
                }
            }
            _ => {}
        }
    }
    all_yes
}

/// The price below which a price-tested consent applies on `date`, and its
/// tiers in words.
fn price_tiers(
    s: &Scenario,
    multiple: Decimal,
    class: ClassId,
    until: Option<(NaiveDate, Decimal)>,
    date: NaiveDate,
) -> Result<(Decimal, String), Kind> {
    let ip = s
        .charter
        .classes
        .get(class)
        .and_then(|x| x.issue_price)
        .unwrap_or_default();
    let m = match until {
        Some((d, later)) if date > d => later,
        _ => multiple,
    };
    let threshold = m.mul(ip, "price test")?;
    let tiers = match until {
        Some((d, later)) => format!(
            "below {} ({}x {}'s {}) through {d}, below {} ({}x) after",
            price_text(multiple.mul(ip, "price test")?),
            multiple.normalize(),
            s.name(class),
            price_text(ip),
            price_text(later.mul(ip, "price test")?),
            later.normalize()
        ),
        None => format!(
            "below {} ({}x {}'s {})",
            price_text(threshold),
            m.normalize(),
            s.name(class),
            price_text(ip)
        ),
    };
    Ok((threshold, tiers))
}

/// Shares outstanding of the classes together.
fn outstanding_of(s: &Scenario, classes: &[ClassId]) -> Result<Decimal, Kind> {
    num::sum(
        classes.iter().map(|id| s.outstanding(*id)),
        "shares outstanding",
    )
}
