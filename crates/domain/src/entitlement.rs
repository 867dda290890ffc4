//! Entitlements (ENT-1 to ENT-7): serial numbers, coverage levels, warranty and contract status,
//! incident agreements and the reasons a plan cannot pay for a case.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A serial number or service tag: upper-case letters and digits (dashes kept), spaces and other
/// separators removed, 3–40 characters. Two spellings of one tag compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SerialNumber(String);

impl SerialNumber {
    pub fn parse(input: &str) -> Result<SerialNumber, &'static str> {
        let value: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.' && *c != '_')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if value.is_empty() {
            Err("required")
        } else if !(3..=40).contains(&value.len())
            || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            Err("invalid_serial")
        } else {
            Ok(SerialNumber(value))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SerialNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a warranty or contract covers, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    PartsOnly,
    NbdOnsite,
    #[serde(rename = "4h_24x7_onsite")]
    FourHour24x7Onsite,
}

impl Coverage {
    pub fn as_str(self) -> &'static str {
        match self {
            Coverage::PartsOnly => "parts_only",
            Coverage::NbdOnsite => "nbd_onsite",
            Coverage::FourHour24x7Onsite => "4h_24x7_onsite",
        }
    }

    pub fn parse(value: &str) -> Option<Coverage> {
        match value {
            "parts_only" => Some(Coverage::PartsOnly),
            "nbd_onsite" => Some(Coverage::NbdOnsite),
            "4h_24x7_onsite" => Some(Coverage::FourHour24x7Onsite),
            _ => None,
        }
    }

    /// Only round-the-clock coverage lets a critical case be handled 24x7 (CAS-3).
    pub fn allows_24x7(self) -> bool {
        self == Coverage::FourHour24x7Onsite
    }

    pub const ALL: [Coverage; 3] = [
        Coverage::PartsOnly,
        Coverage::NbdOnsite,
        Coverage::FourHour24x7Onsite,
    ];
}

/// Kinds of warranty and contract on the *Contracts and warranties* page (ENT-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntitlementKind {
    FactoryWarranty,
    CarePack,
    Contract,
}

impl EntitlementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntitlementKind::FactoryWarranty => "factory_warranty",
            EntitlementKind::CarePack => "care_pack",
            EntitlementKind::Contract => "contract",
        }
    }

    pub fn parse(value: &str) -> Option<EntitlementKind> {
        match value {
            "factory_warranty" => Some(EntitlementKind::FactoryWarranty),
            "care_pack" => Some(EntitlementKind::CarePack),
            "contract" => Some(EntitlementKind::Contract),
            _ => None,
        }
    }

    pub const ALL: [EntitlementKind; 3] = [
        EntitlementKind::FactoryWarranty,
        EntitlementKind::CarePack,
        EntitlementKind::Contract,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Future,
    Active,
    Expired,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Future => "future",
            Status::Active => "active",
            Status::Expired => "expired",
        }
    }

    pub fn parse(value: &str) -> Option<Status> {
        match value {
            "future" => Some(Status::Future),
            "active" => Some(Status::Active),
            "expired" => Some(Status::Expired),
            _ => None,
        }
    }

    /// The status of a period that includes both its first and its last day.
    pub fn of(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> Status {
        if today < start {
            Status::Future
        } else if today > end {
            Status::Expired
        } else {
            Status::Active
        }
    }
}

/// The last day of the factory warranty: the ship date plus the product's warranty months, less
/// a day (a 12-month warranty from 15 March ends on 14 March next year).
pub fn factory_warranty_end(ship_date: NaiveDate, warranty_months: u32) -> NaiveDate {
    add_months(ship_date, warranty_months) - Duration::days(1)
}

fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    let total = date.year() * 12 + date.month0() as i32 + months as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12) as u32);
    let mut day = date.day();
    loop {
        if let Some(d) = NaiveDate::from_ymd_opt(year, month0 + 1, day) {
            return d;
        }
        day -= 1;
    }
}

/// A period checked at the edge: start on or before end.
pub fn check_period(start: NaiveDate, end: NaiveDate) -> Result<(), &'static str> {
    if end < start {
        Err("end_before_start")
    } else {
        Ok(())
    }
}

/// Where an incident agreement may be used (ENT-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    OnPremises,
    Cloud,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::OnPremises => "on_premises",
            Scope::Cloud => "cloud",
        }
    }

    pub fn parse(value: &str) -> Option<Scope> {
        match value {
            "on_premises" => Some(Scope::OnPremises),
            "cloud" => Some(Scope::Cloud),
            _ => None,
        }
    }
}

/// Why a plan cannot pay for a case (ENT-5), in the order they are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unavailable {
    NotLinked,
    Expired,
    NoUnits,
    ProductNotCovered,
    ScopeMismatch,
}

impl Unavailable {
    pub fn as_str(self) -> &'static str {
        match self {
            Unavailable::NotLinked => "not_linked",
            Unavailable::Expired => "expired",
            Unavailable::NoUnits => "no_units",
            Unavailable::ProductNotCovered => "product_not_covered",
            Unavailable::ScopeMismatch => "scope_mismatch",
        }
    }
}

/// An incident agreement as the rules see it.
#[derive(Debug, Clone)]
pub struct AgreementFacts {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub grace_days: i64,
    pub units_remaining: i64,
    /// Covered products; empty covers every product.
    pub product_ids: Vec<i64>,
    pub scopes: Vec<Scope>,
}

impl AgreementFacts {
    /// The last day a unit may be spent: the end plus the programme's grace days.
    pub fn usable_until(&self) -> NaiveDate {
        self.end + Duration::days(self.grace_days)
    }

    /// Whether this agreement can pay for a case about `product` in `scope` today, and if not,
    /// the first reason. `linked` says whether the caller registered it.
    pub fn availability(
        &self,
        linked: bool,
        product: Option<i64>,
        scope: Option<Scope>,
        today: NaiveDate,
    ) -> Result<(), Unavailable> {
        if !linked {
            Err(Unavailable::NotLinked)
        } else if today > self.usable_until() || today < self.start {
            Err(Unavailable::Expired)
        } else if self.units_remaining <= 0 {
            Err(Unavailable::NoUnits)
        } else if product
            .is_some_and(|p| !self.product_ids.is_empty() && !self.product_ids.contains(&p))
        {
            Err(Unavailable::ProductNotCovered)
        } else if scope.is_some_and(|s| !self.scopes.contains(&s)) {
            Err(Unavailable::ScopeMismatch)
        } else {
            Ok(())
        }
    }
}

/// An agreement's default end: one year after its start (the day before the anniversary).
pub fn one_year_from(start: NaiveDate) -> NaiveDate {
    add_months(start, 12) - Duration::days(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn serials_are_normalised() {
        assert_eq!(
            SerialNumber::parse(" cz j1 234.xyz ").map(|s| s.to_string()),
            Ok("CZJ1234XYZ".into())
        );
        assert_eq!(
            SerialNumber::parse("5cg-12"),
            Ok(SerialNumber("5CG-12".into()))
        );
        assert_eq!(SerialNumber::parse("  "), Err("required"));
        assert_eq!(SerialNumber::parse("ab"), Err("invalid_serial"));
        assert_eq!(SerialNumber::parse("abc/123"), Err("invalid_serial"));
    }

    #[test]
    fn warranty_dates_and_status() {
        assert_eq!(factory_warranty_end(d(2025, 3, 15), 12), d(2026, 3, 14));
        assert_eq!(
            factory_warranty_end(d(2024, 1, 31), 1),
            d(2024, 2, 28),
            "clamped to the month's last day, less one"
        );
        assert_eq!(factory_warranty_end(d(2024, 11, 30), 36), d(2027, 11, 29));
        assert_eq!(one_year_from(d(2026, 1, 1)), d(2026, 12, 31));
        assert_eq!(
            Status::of(d(2026, 1, 1), d(2026, 12, 31), d(2026, 12, 31)),
            Status::Active,
            "the last day counts"
        );
        assert_eq!(
            Status::of(d(2026, 1, 1), d(2026, 12, 31), d(2027, 1, 1)),
            Status::Expired
        );
        assert_eq!(
            Status::of(d(2026, 1, 1), d(2026, 12, 31), d(2025, 12, 31)),
            Status::Future
        );
        assert_eq!(
            check_period(d(2026, 2, 1), d(2026, 1, 1)),
            Err("end_before_start")
        );
    }

    #[test]
    fn coverage_codes() {
        for c in Coverage::ALL {
            assert_eq!(Coverage::parse(c.as_str()), Some(c));
        }
        assert!(Coverage::FourHour24x7Onsite.allows_24x7() && !Coverage::NbdOnsite.allows_24x7());
        assert!(Coverage::FourHour24x7Onsite > Coverage::PartsOnly);
    }

    #[test]
    fn plan_availability_reasons() {
        let facts = AgreementFacts {
            start: d(2026, 1, 1),
            end: d(2026, 12, 31),
            grace_days: 30,
            units_remaining: 2,
            product_ids: vec![7],
            scopes: vec![Scope::OnPremises],
        };
        let today = d(2026, 6, 1);
        assert_eq!(
            facts.availability(true, Some(7), Some(Scope::OnPremises), today),
            Ok(())
        );
        assert_eq!(
            facts.availability(false, Some(7), None, today),
            Err(Unavailable::NotLinked)
        );
        assert_eq!(
            facts.availability(true, Some(8), None, today),
            Err(Unavailable::ProductNotCovered)
        );
        assert_eq!(
            facts.availability(true, Some(7), Some(Scope::Cloud), today),
            Err(Unavailable::ScopeMismatch)
        );
        assert_eq!(
            facts.availability(true, Some(7), None, d(2027, 1, 30)),
            Ok(()),
            "grace days"
        );
        assert_eq!(
            facts.availability(true, Some(7), None, d(2027, 1, 31)),
            Err(Unavailable::Expired)
        );
        let empty = AgreementFacts {
            units_remaining: 0,
            product_ids: vec![],
            ..facts
        };
        assert_eq!(
            empty.availability(true, Some(99), None, today),
            Err(Unavailable::NoUnits)
        );
        let all = AgreementFacts {
            units_remaining: 1,
            ..empty
        };
        assert_eq!(
            all.availability(true, Some(99), None, today),
            Ok(()),
            "no product list covers every product"
        );
    }
}
