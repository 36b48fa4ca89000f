//! `expect` and `snapshot` blocks, and their claims.

use super::*;

pub(super) fn expect_block(pair: P) -> Result<Expect, Problem> {
    let mut inner = pair.into_inner();
    let name = string(next(&mut inner)?);
    let section = section(next(&mut inner)?);
    let mut quoting = None;
    let mut readings = Vec::new();
    let mut steps = Vec::new();
    for p in inner {
        match p.as_rule() {
            Rule::quoting => {
                let span = span_of(&p);
                let words: Vec<String> = p.into_inner().map(|s| string(s).node).collect();
                quoting = Some(Spanned {
                    node: words.join(" "),
                    span,
                });
            }
            Rule::claim => {
                let span = span_of(&p);
                let mut it = p.into_inner();
                let body = claim(next(&mut it)?)?;
                steps.push(Step::Claim(Clause {
                    node: body,
                    span,
                    cite: it.next().map(self::section),
                    reading: None,
                }));
            }
            Rule::under_reading => {
                let mut it = p.into_inner();
                let reading = string(next(&mut it)?);
                readings.push((reading, string(next(&mut it)?)));
            }
            _ => steps.push(Step::Statement(spanned_statement(p)?)),
        }
    }
    Ok(Expect {
        name,
        section,
        quoting,
        readings,
        steps,
    })
}

pub(super) fn claim(pair: P) -> Result<Claim, Problem> {
    let rule = pair.as_rule();
    let mut inner = pair.into_inner().peekable();
    // `about`, where a claim allows it, comes right before the figure.
    let about = |it: &mut std::iter::Peekable<pest::iterators::Pairs<'_, Rule>>| {
        it.next_if(|p| p.as_rule() == Rule::about).is_some()
    };
    Ok(match rule {
        Rule::receives_claim => {
            let who = class_ref(next(&mut inner)?)?;
            let about = about(&mut inner);
            let fig = next(&mut inner)?;
            let figure = match fig.as_rule() {
                Rule::shares_figure => Figure::Shares(decimal(next(&mut fig.into_inner())?)?),
                _ => {
                    let mut it = fig.into_inner();
                    let value = decimal(next(&mut it)?)?;
                    if it.next().is_some() {
                        Figure::PerShare(value)
                    } else {
                        Figure::Money(value)
                    }
                }
            };
            Claim::Receives { who, about, figure }
        }
        Rule::converts_claim | Rule::not_converts_claim => Claim::Converts {
            class: class_ref(next(&mut inner)?)?,
            yes: rule == Rule::converts_claim,
        },
        Rule::price_claim | Rule::ratio_claim => {
            let class = class_ref(next(&mut inner)?)?;
            let about = about(&mut inner);
            let value = decimal(next(&mut inner)?)?;
            if rule == Rule::price_claim {
                Claim::ConversionPrice {
                    class,
                    about,
                    value,
                }
            } else {
                Claim::ConversionRatio {
                    class,
                    about,
                    value,
                }
            }
        }
        Rule::passes_claim => Claim::Passes,
        Rule::fails_claim => Claim::Fails {
            on: inner.map(section).collect(),
        },
        Rule::accrued_claim => {
            let class = class_ref(next(&mut inner)?)?;
            let about = about(&mut inner);
            let value = decimal(next(&mut inner)?)?;
            Claim::Accrued {
                class,
                about,
                value,
            }
        }
        Rule::votes_claim => {
            let who = class_ref(next(&mut inner)?)?;
            let about = about(&mut inner);
            let value = decimal(next(&mut inner)?)?;
            Claim::Votes { who, about, value }
        }
        Rule::elects_claim => Claim::Elects {
            who: class_list(next(&mut inner)?)?,
            seats: decimal(next(&mut inner)?)?,
        },
        r => return Err(internal(&format!("unexpected {r:?}"))),
    })
}
