//! The partner channel's rules (PTN-1 to PTN-6): the programme a partner is enrolled in, the
//! service plans devices are sold with, the customer PIN of a dashboard, who hears of a device
//! alert, where a repair case goes, when self-service alerts may be switched off, and what a
//! reimbursement claim may hold.

use crate::FieldErrors;
use chrono::{Datelike, NaiveDate};

/// PTN-1: what a partner was trained for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Programme {
    /// Resells and watches its customers' devices; repairs are the operator's.
    ResellMonitor,
    /// Repairs its customers' devices itself and claims the cost back.
    ServiceDelivery,
}

impl Programme {
    pub const ALL: [Programme; 2] = [Programme::ResellMonitor, Programme::ServiceDelivery];

    pub fn as_str(self) -> &'static str {
        match self {
            Programme::ResellMonitor => "resell_monitor",
            Programme::ServiceDelivery => "service_delivery",
        }
    }

    pub fn parse(value: &str) -> Option<Programme> {
        Programme::ALL.into_iter().find(|p| p.as_str() == value)
    }

    /// The company kind an enrolled partner of this programme has.
    pub fn company_kind(self) -> crate::CompanyKind {
        match self {
            Programme::ResellMonitor => crate::CompanyKind::PartnerResellMonitor,
            Programme::ServiceDelivery => crate::CompanyKind::PartnerServiceDelivery,
        }
    }

    /// PTN-5: where a repair case of this partner's devices is worked.
    pub fn repair_route(self) -> RepairRoute {
        match self {
            Programme::ResellMonitor => RepairRoute::OperatorDesk,
            Programme::ServiceDelivery => RepairRoute::PartnerQueue,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepairRoute {
    /// The operator's desk, by its routing rules.
    OperatorDesk,
    /// The partner's own repair queue.
    PartnerQueue,
}

/// The service plans the channel sells (PTN-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServicePlan {
    Premium,
    PremiumPlus,
}

impl ServicePlan {
    pub const ALL: [ServicePlan; 2] = [ServicePlan::Premium, ServicePlan::PremiumPlus];

    pub fn as_str(self) -> &'static str {
        match self {
            ServicePlan::Premium => "premium",
            ServicePlan::PremiumPlus => "premium_plus",
        }
    }

    /// The code, also as people write it in a file (`Premium+`, `premium plus`).
    pub fn parse(value: &str) -> Option<ServicePlan> {
        let v = value.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        match v.as_str() {
            "premium" => Some(ServicePlan::Premium),
            "premium_plus" | "premium+" | "premiumplus" => Some(ServicePlan::PremiumPlus),
            _ => None,
        }
    }
}

/// Who hears of a device alert (PTN-5, PTN-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertRoute {
    /// The device's end user: a notification with *View*, which leads to a repair case.
    EndUser,
    /// The partner's dashboard for that customer (self-service alerts switched off).
    Partner,
}

impl AlertRoute {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertRoute::EndUser => "end_user",
            AlertRoute::Partner => "partner",
        }
    }
}

/// PTN-5: a device on no dashboard alerts its end user; on a dashboard, the dashboard's
/// self-service switch decides.
pub fn alert_route(dashboard_self_service: Option<bool>) -> AlertRoute {
    match dashboard_self_service {
        None | Some(true) => AlertRoute::EndUser,
        Some(false) => AlertRoute::Partner,
    }
}

/// PTN-6: self-service alerts may be switched off only once the dashboard has had a device (they
/// switched on when it arrived); switching on is always allowed.
pub fn may_set_alerts(enabled: bool, had_device: bool) -> Result<(), &'static str> {
    if !enabled && !had_device {
        return Err("alerts_locked_until_first_device");
    }
    Ok(())
}

/// The severities a device agent reports.
pub const ALERT_SEVERITIES: [&str; 3] = ["critical", "warning", "info"];

/// Letters and digits of a customer PIN: no 0/O or 1/I/L, so it can be read out on the phone.
const CPIN_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const CPIN_LEN: usize = 10;

/// A customer PIN from random bits: `C-` and ten characters of `CPIN_ALPHABET`.
pub fn cpin_from(mut bits: u128) -> String {
    let n = CPIN_ALPHABET.len() as u128;
    let mut out = String::from("C-");
    for _ in 0..CPIN_LEN {
        out.push(CPIN_ALPHABET[(bits % n) as usize] as char);
        bits /= n;
    }
    out
}

/// A cPIN as typed: case and spaces do not matter, the `C-` may be left out.
pub fn normalize_cpin(input: &str) -> Option<String> {
    let cleaned: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let body = cleaned.strip_prefix("C-").unwrap_or(&cleaned);
    (body.len() == CPIN_LEN && body.bytes().all(|b| CPIN_ALPHABET.contains(&b)))
        .then(|| format!("C-{body}"))
}

/// The longest sale reference, SKU, device name and alert texts.
pub const REFERENCE_MAX: usize = 64;
pub const SKU_MAX: usize = 40;
pub const DEVICE_NAME_MAX: usize = 100;
pub const ALERT_CODE_MAX: usize = 64;
pub const ALERT_MESSAGE_MAX: usize = 2000;

/// A device sale as a distributor reports it (PTN-2), checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sale {
    pub serial_number: String,
    pub sku: String,
    pub service_plan: ServicePlan,
    pub partner_company_id: i64,
    pub sold_on: NaiveDate,
    pub reference: String,
}

/// Checks one reported sale; `today` bounds the sale date (a day ahead allowed for time zones).
pub fn check_sale(
    serial_number: &str,
    sku: &str,
    service_plan: &str,
    partner_company_id: Option<i64>,
    sold_on: &str,
    reference: &str,
    today: NaiveDate,
) -> Result<Sale, FieldErrors> {
    let mut errors = FieldErrors::new();
    let serial = match crate::entitlement::SerialNumber::parse(serial_number) {
        Ok(s) => s.to_string(),
        Err(code) => {
            errors.add("serial_number", code);
            String::new()
        }
    };
    let sku = errors
        .required_text("sku", sku, SKU_MAX)
        .to_ascii_uppercase();
    let plan = match service_plan.trim() {
        "" => {
            errors.add("service_plan", "required");
            None
        }
        v => {
            let plan = ServicePlan::parse(v);
            if plan.is_none() {
                errors.add("service_plan", "invalid_choice");
            }
            plan
        }
    };
    let partner = match partner_company_id {
        Some(id) if id > 0 => id,
        Some(_) => {
            errors.add("partner_company_id", "invalid_choice");
            0
        }
        None => {
            errors.add("partner_company_id", "required");
            0
        }
    };
    let sold_on = match sold_on.trim() {
        "" => {
            errors.add("sold_on", "required");
            None
        }
        v => match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            Ok(d) if d > today.succ_opt().unwrap_or(today) => {
                errors.add("sold_on", "date_in_future");
                None
            }
            Ok(d) if d.year() < 2000 => {
                errors.add("sold_on", "invalid_date");
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                errors.add("sold_on", "invalid_date");
                None
            }
        },
    };
    let reference = errors.required_text("reference", reference, REFERENCE_MAX);
    match (plan, sold_on) {
        (Some(service_plan), Some(sold_on)) if errors.is_empty() => Ok(Sale {
            serial_number: serial,
            sku,
            service_plan,
            partner_company_id: partner,
            sold_on,
            reference,
        }),
        _ => Err(errors),
    }
}

/// The most lines a claim may have, and the bounds of its numbers.
pub const CLAIM_PARTS_MAX: usize = 50;
pub const CLAIM_QUANTITY_MAX: i64 = 1_000;
/// A line's amount in minor units: at most 1,000,000.00.
pub const CLAIM_AMOUNT_MAX: i64 = 100_000_000;
/// At most a working month of labour on one repair.
pub const CLAIM_LABOUR_MAX: i64 = 10_000;

/// One part a claim asks to be paid for; `amount` is the line's total in minor units.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClaimPart {
    pub part_number: String,
    pub quantity: i64,
    pub amount: i64,
}

/// A checked claim: its lines and its total (the lines plus the labour amount).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub parts: Vec<ClaimPart>,
    pub labour_minutes: i64,
    pub amount: i64,
    pub currency: String,
}

/// Checks a reimbursement claim (PTN-5).
pub fn check_claim(
    parts: &[ClaimPart],
    labour_minutes: i64,
    labour_amount: i64,
    currency: &str,
) -> Result<Claim, FieldErrors> {
    let mut errors = FieldErrors::new();
    if parts.len() > CLAIM_PARTS_MAX {
        errors.add("parts", "too_many");
    }
    let mut lines = Vec::new();
    for (i, p) in parts.iter().take(CLAIM_PARTS_MAX).enumerate() {
        let field = |name: &str| format!("parts[{i}].{name}");
        let number = p.part_number.trim().to_ascii_uppercase();
        if number.is_empty() {
            errors.add(&field("part_number"), "required");
        } else if number.chars().count() > SKU_MAX {
            errors.add(&field("part_number"), "too_long");
        }
        if !(1..=CLAIM_QUANTITY_MAX).contains(&p.quantity) {
            errors.add(&field("quantity"), "out_of_range");
        }
        if !(0..=CLAIM_AMOUNT_MAX).contains(&p.amount) {
            errors.add(&field("amount"), "out_of_range");
        }
        lines.push(ClaimPart {
            part_number: number,
            quantity: p.quantity,
            amount: p.amount,
        });
    }
    if !(0..=CLAIM_LABOUR_MAX).contains(&labour_minutes) {
        errors.add("labour_minutes", "out_of_range");
    }
    if !(0..=CLAIM_AMOUNT_MAX).contains(&labour_amount) {
        errors.add("labour_amount", "out_of_range");
    }
    if lines.is_empty() && labour_minutes == 0 {
        errors.add("parts", "required");
    }
    let currency = currency.trim().to_ascii_uppercase();
    if currency.is_empty() {
        errors.add("currency", "required");
    } else if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        errors.add("currency", "invalid_currency");
    }
    let amount = lines.iter().map(|l| l.amount).sum::<i64>() + labour_amount;
    errors.into_result(Claim {
        parts: lines,
        labour_minutes,
        amount,
        currency,
    })
}

/// A claim's life: submitted, then approved or rejected (with a reason) by operator staff.
pub const CLAIM_STATUSES: [&str; 3] = ["submitted", "approved", "rejected"];

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).expect("date")
    }

    #[test]
    fn alerts_go_to_the_end_user_unless_a_dashboard_switched_them_off() {
        assert_eq!(alert_route(None), AlertRoute::EndUser);
        assert_eq!(alert_route(Some(true)), AlertRoute::EndUser);
        assert_eq!(alert_route(Some(false)), AlertRoute::Partner);
    }

    #[test]
    fn self_service_alerts_switch_off_only_after_a_device() {
        assert_eq!(
            may_set_alerts(false, false),
            Err("alerts_locked_until_first_device")
        );
        assert_eq!(may_set_alerts(false, true), Ok(()));
        assert_eq!(may_set_alerts(true, false), Ok(()));
    }

    #[test]
    fn repair_cases_follow_the_programme() {
        assert_eq!(
            Programme::ResellMonitor.repair_route(),
            RepairRoute::OperatorDesk
        );
        assert_eq!(
            Programme::ServiceDelivery.repair_route(),
            RepairRoute::PartnerQueue
        );
        assert_eq!(
            Programme::parse("service_delivery"),
            Some(Programme::ServiceDelivery)
        );
        assert_eq!(Programme::parse("gold"), None);
    }

    #[test]
    fn cpins_read_back_however_typed() {
        let pin = cpin_from(123_456_789_012_345_678_901);
        assert_eq!(pin.len(), 2 + CPIN_LEN);
        assert_eq!(normalize_cpin(&pin), Some(pin.clone()));
        assert_eq!(normalize_cpin(&pin[2..].to_lowercase()), Some(pin.clone()));
        assert_eq!(normalize_cpin("C-0000000000"), None);
        assert_eq!(normalize_cpin("C-ABC"), None);
        assert_ne!(cpin_from(1), cpin_from(2));
    }

    #[test]
    fn plans_parse_as_written() {
        assert_eq!(
            ServicePlan::parse("Premium+"),
            Some(ServicePlan::PremiumPlus)
        );
        assert_eq!(
            ServicePlan::parse("premium plus"),
            Some(ServicePlan::PremiumPlus)
        );
        assert_eq!(ServicePlan::parse("PREMIUM"), Some(ServicePlan::Premium));
        assert_eq!(ServicePlan::parse("basic"), None);
    }

    #[test]
    fn a_sale_is_checked_field_by_field() {
        let sale = check_sale(
            "5cg1234abc",
            "8a4x2ea",
            "premium_plus",
            Some(7),
            "2026-11-30",
            "SO-1",
            today(),
        )
        .expect("valid");
        assert_eq!(sale.serial_number, "5CG1234ABC");
        assert_eq!(sale.sku, "8A4X2EA");
        let errors = check_sale("", "", "gold", None, "2027-02-01", "", today())
            .expect_err("invalid")
            .0
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect::<Vec<_>>();
        assert_eq!(
            errors,
            vec![
                ("serial_number".to_owned(), "required"),
                ("sku".to_owned(), "required"),
                ("service_plan".to_owned(), "invalid_choice"),
                ("partner_company_id".to_owned(), "required"),
                ("sold_on".to_owned(), "date_in_future"),
                ("reference".to_owned(), "required"),
            ]
        );
        assert!(check_sale("5CG1", "S", "premium", Some(1), "30.11.2026", "R", today()).is_err());
    }

    #[test]
    fn a_claim_totals_its_lines_and_labour() {
        let parts = vec![
            ClaimPart {
                part_number: "m.2-512".into(),
                quantity: 1,
                amount: 8_900,
            },
            ClaimPart {
                part_number: "KB-NO".into(),
                quantity: 2,
                amount: 4_000,
            },
        ];
        let claim = check_claim(&parts, 45, 6_000, "eur").expect("valid");
        assert_eq!(claim.amount, 18_900);
        assert_eq!(claim.currency, "EUR");
        assert_eq!(claim.parts[0].part_number, "M.2-512");
        let bad = ClaimPart {
            part_number: " ".into(),
            quantity: 0,
            amount: -1,
        };
        let codes = check_claim(&[bad], -1, 0, "euro")
            .expect_err("invalid")
            .0
            .into_iter()
            .map(|e| e.code)
            .collect::<Vec<_>>();
        assert_eq!(
            codes,
            vec![
                "required",
                "out_of_range",
                "out_of_range",
                "out_of_range",
                "invalid_currency"
            ]
        );
        assert!(check_claim(&[], 0, 0, "EUR").is_err());
    }
}
