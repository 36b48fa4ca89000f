//! The liquidation terms: ranks, preferences, participation and deemed events.

use rust_decimal::Decimal;

use super::*;

/// The liquidation terms that apply in one kind of event.
#[derive(Debug, Clone)]
pub struct Terms {
    /// Ranks, most senior first; each holds the classes paid pari passu.
    pub ranks: Vec<Rank>,
    /// Preference per class.
    pub preference: Vec<Option<Preference>>,
    /// Participation per class (`None` for common, which always shares the residual).
    pub participation: Vec<Option<Participation>>,
    /// The block these terms come from (it pays common its residual).
    pub cite: Cite,
    /// Accrued dividends each class is paid on converting, per share, for
    /// one stretch of exits (`eval::conversion_dividends` sets them from the
    /// value of common; empty as lowered).
    pub conversion_dividends: Vec<Option<ConversionDividend>>,
}

/// Accrued dividends paid per share on converting, under a waiver tier.
#[derive(Debug, Clone, PartialEq)]
pub struct ConversionDividend {
    /// Amount per share.
    pub per_share: Decimal,
    /// How the tier came out and why, in words ("half waived: ...").
    pub words: String,
    /// The waiver clause, else the cumulative dividend's.
    pub cite: Cite,
}

/// Classes paid pari passu, and how a shortfall among them is shared.
#[derive(Debug, Clone)]
pub struct Rank {
    /// Members, in declaration order.
    pub classes: Vec<ClassId>,
    /// Shortfall rule.
    pub rule: ShortfallRule,
    /// The shortfall clause, if one was needed.
    pub cite: Option<Cite>,
}

/// A liquidation preference.
#[derive(Debug, Clone)]
pub struct Preference {
    /// Amount per share before dividends.
    pub per_share: Decimal,
    /// The multiple of the class's original issue price it is, where it is
    /// one: an issue price that moves (`original issue price adjusted
    /// likewise`) moves it.
    pub multiple: Option<Decimal>,
    /// The dividends it adds: declared, or accrued and declared.
    pub plus: PlusDividends,
    /// The clause.
    pub cite: Cite,
}

impl Preference {
    /// The amount per share with the dividends this preference adds.
    pub fn with_dividends(&self, class: &Class) -> Option<Decimal> {
        self.per_share.checked_add(self.dividends(class)?)
    }

    /// The dividends per share this preference adds: owed to the shares of
    /// record only, not to shares issued later on an exercise.
    pub fn dividends(&self, class: &Class) -> Option<Decimal> {
        match self.plus {
            PlusDividends::None => Some(Decimal::ZERO),
            PlusDividends::Declared => Some(class.declared_dividends),
            PlusDividends::AccruedAndDeclared => class
                .declared_dividends
                .checked_add(class.accrued_dividends),
        }
    }
}

/// A participation cap, per share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cap {
    /// Total received per share, preference included.
    Total(Decimal),
    /// Received per share in addition to the preference.
    More(Decimal),
}

/// Whether and how far a preferred class shares the residual.
#[derive(Debug, Clone)]
pub struct Participation {
    /// Shares the residual at all.
    pub participates: bool,
    /// Cap, if any.
    pub cap: Option<Cap>,
    /// The multiple of the class's original issue price the cap is, where
    /// it is one.
    pub cap_multiple: Option<Decimal>,
    /// Participates only while the distribution per share is below this amount.
    pub while_under: Option<Decimal>,
    /// The multiple of the class's original issue price that amount is.
    pub while_under_multiple: Option<Decimal>,
    /// Where the distribution per share is tested "adjusted for splits":
    /// the shares of common there are now for each share at filing (the
    /// splits and combinations since, multiplied), by which the
    /// distribution per share is multiplied before the test.
    pub split_factor: Option<Decimal>,
    /// The clause.
    pub cite: Cite,
}

impl Participation {
    /// No participation: the clause `does not participate`, or a SAFE's
    /// terms.
    pub fn none(cite: Cite) -> Self {
        Participation {
            participates: false,
            cap: None,
            cap_multiple: None,
            while_under: None,
            while_under_multiple: None,
            split_factor: None,
            cite,
        }
    }

    /// The distribution per share the test reads: as given, or counted in
    /// shares as they stood at filing where the clause says so.
    pub fn tested(&self, dps: Decimal) -> Decimal {
        match self.split_factor {
            Some(f) => dps.checked_mul(f).unwrap_or(Decimal::MAX),
            None => dps,
        }
    }

    /// Whether the class shares the residual when the distribution per share
    /// is `dps` ("participates while ... less than").
    pub fn active(&self, dps: Decimal) -> bool {
        self.participates && self.while_under.is_none_or(|t| self.tested(dps) < t)
    }
}

impl Terms {
    /// Accrued dividends class `id` is paid per share on converting, under
    /// these terms.
    pub fn conversion_dividend(&self, id: ClassId) -> Decimal {
        self.conversion_dividends
            .get(id)
            .and_then(|d| d.as_ref())
            .map_or(Decimal::ZERO, |d| d.per_share)
    }

    /// Whether any participation depends on the distribution per share, the
    /// only reader of it: where none does, it need not be computed.
    pub fn conditional(&self) -> bool {
        self.participation
            .iter()
            .flatten()
            .any(|p| p.while_under.is_some())
    }
}

/// A deemed liquidation event.
#[derive(Debug, Clone)]
pub struct Event {
    /// The charter's name for it.
    pub name: String,
    /// Transactions it covers.
    pub kinds: Vec<EventKind>,
    /// Its terms (the liquidation terms with its overrides).
    pub terms: Terms,
    /// Facts the payout assumes, each with its clause.
    pub assumptions: Vec<(String, Cite)>,
    /// The block's citation.
    pub cite: Cite,
}
