//! Cases (CAS-1 to CAS-15): case numbers, severity, and the status lifecycle (CAS-14) that every
//! status change goes through.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// How long after resolution or closure a customer may still reopen a case.
pub const REOPEN_DAYS: i64 = 14;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    New,
    Assigned,
    InProgress,
    WaitingOnCustomer,
    Resolved,
    Closed,
    Cancelled,
    Reopened,
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::New => "new",
            CaseStatus::Assigned => "assigned",
            CaseStatus::InProgress => "in_progress",
            CaseStatus::WaitingOnCustomer => "waiting_on_customer",
            CaseStatus::Resolved => "resolved",
            CaseStatus::Closed => "closed",
            CaseStatus::Cancelled => "cancelled",
            CaseStatus::Reopened => "reopened",
        }
    }

    pub fn parse(value: &str) -> Option<CaseStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub const ALL: [CaseStatus; 8] = [
        CaseStatus::New,
        CaseStatus::Assigned,
        CaseStatus::InProgress,
        CaseStatus::WaitingOnCustomer,
        CaseStatus::Resolved,
        CaseStatus::Closed,
        CaseStatus::Cancelled,
        CaseStatus::Reopened,
    ];

    /// Still being worked on: not resolved, closed or cancelled.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            CaseStatus::Resolved | CaseStatus::Closed | CaseStatus::Cancelled
        )
    }
}

/// What a customer can ask of a case (CAS-10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerAction {
    Escalate,
    RequestClosure,
    Reopen,
    Cancel,
}

impl CustomerAction {
    pub fn parse(value: &str) -> Option<CustomerAction> {
        match value {
            "escalate" => Some(CustomerAction::Escalate),
            "request_closure" => Some(CustomerAction::RequestClosure),
            "reopen" => Some(CustomerAction::Reopen),
            "cancel" => Some(CustomerAction::Cancel),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CustomerAction::Escalate => "escalate",
            CustomerAction::RequestClosure => "request_closure",
            CustomerAction::Reopen => "reopen",
            CustomerAction::Cancel => "cancel",
        }
    }
}

/// Why a move is refused; the code is what the API sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IllegalMove {
    /// The case is not open (resolved, closed or cancelled).
    NotOpen,
    /// Only resolved or closed cases can be reopened.
    NotReopenable,
    /// Resolved or closed too long ago to reopen.
    ReopenWindowPassed,
    /// The desk's move is not allowed from this status.
    NotFromHere,
}

impl IllegalMove {
    pub fn code(self) -> &'static str {
        match self {
            IllegalMove::NotOpen => "case_not_open",
            IllegalMove::NotReopenable => "case_not_reopenable",
            IllegalMove::ReopenWindowPassed => "reopen_window_passed",
            IllegalMove::NotFromHere => "illegal_status_change",
        }
    }
}

/// The result of a customer action: the new status, if it changes.
pub fn customer_action(
    status: CaseStatus,
    action: CustomerAction,
    finished_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Option<CaseStatus>, IllegalMove> {
    match action {
        CustomerAction::Escalate | CustomerAction::RequestClosure if status.is_open() => Ok(None),
        CustomerAction::Escalate | CustomerAction::RequestClosure => Err(IllegalMove::NotOpen),
        CustomerAction::Cancel if status.is_open() => Ok(Some(CaseStatus::Cancelled)),
        CustomerAction::Cancel => Err(IllegalMove::NotOpen),
        CustomerAction::Reopen => match (status, finished_at) {
            (CaseStatus::Resolved | CaseStatus::Closed, Some(at))
                if now - at <= Duration::days(REOPEN_DAYS) =>
            {
                Ok(Some(CaseStatus::Reopened))
            }
            (CaseStatus::Resolved | CaseStatus::Closed, _) => Err(IllegalMove::ReopenWindowPassed),
            _ => Err(IllegalMove::NotReopenable),
        },
    }
}

/// The desk's status moves (SUP-3 will drive them); customers use `customer_action`.
pub fn desk_move(from: CaseStatus, to: CaseStatus) -> Result<CaseStatus, IllegalMove> {
    use CaseStatus::*;
    let allowed = match from {
        New | Reopened => matches!(to, Assigned | InProgress | Cancelled),
        Assigned => matches!(to, InProgress | WaitingOnCustomer | Resolved | Cancelled),
        InProgress => matches!(to, WaitingOnCustomer | Resolved | Cancelled),
        WaitingOnCustomer => matches!(to, InProgress | Resolved | Cancelled),
        Resolved => matches!(to, Closed | InProgress),
        Closed | Cancelled => false,
    };
    if allowed {
        Ok(to)
    } else {
        Err(IllegalMove::NotFromHere)
    }
}

/// Severity 1 (critical) to 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Severity(u8);

impl Severity {
    pub fn new(value: i64) -> Result<Severity, &'static str> {
        if (1..=4).contains(&value) {
            Ok(Severity(value as u8))
        } else {
            Err("invalid_severity")
        }
    }

    pub fn get(self) -> i64 {
        i64::from(self.0)
    }

    pub fn is_critical(self) -> bool {
        self.0 == 1
    }
}

/// Only a critical case may ask for 24x7 handling, and only when the coverage allows it (CAS-3).
pub fn check_24x7(
    wanted: bool,
    severity: Severity,
    coverage_allows: bool,
) -> Result<(), &'static str> {
    if !wanted {
        Ok(())
    } else if !severity.is_critical() {
        Err("24x7_needs_severity_1")
    } else if !coverage_allows {
        Err("24x7_not_covered")
    } else {
        Ok(())
    }
}

/// Case numbers: ten digits starting with 5, easy to read out on the phone, from a random
/// source the caller supplies (the store retries on the rare collision).
pub fn case_number(random: u64) -> String {
    format!("5{:09}", random % 1_000_000_000)
}

pub fn is_case_number(value: &str) -> bool {
    value.len() == 10 && value.starts_with('5') && value.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseStatus::*;

    #[test]
    fn customers_cancel_escalate_and_ask_for_closure_only_while_open() {
        let now = Utc::now();
        assert_eq!(
            customer_action(New, CustomerAction::Cancel, None, now),
            Ok(Some(Cancelled))
        );
        assert_eq!(
            customer_action(WaitingOnCustomer, CustomerAction::Escalate, None, now),
            Ok(None)
        );
        assert_eq!(
            customer_action(InProgress, CustomerAction::RequestClosure, None, now),
            Ok(None)
        );
        assert_eq!(
            customer_action(Closed, CustomerAction::Cancel, Some(now), now),
            Err(IllegalMove::NotOpen)
        );
        assert_eq!(
            customer_action(Cancelled, CustomerAction::Escalate, None, now),
            Err(IllegalMove::NotOpen)
        );
    }

    #[test]
    fn reopen_within_fourteen_days_of_resolution() {
        let now = Utc::now();
        assert_eq!(
            customer_action(
                Resolved,
                CustomerAction::Reopen,
                Some(now - Duration::days(14)),
                now
            ),
            Ok(Some(Reopened))
        );
        assert_eq!(
            customer_action(
                Closed,
                CustomerAction::Reopen,
                Some(now - Duration::days(15)),
                now
            ),
            Err(IllegalMove::ReopenWindowPassed)
        );
        assert_eq!(
            customer_action(InProgress, CustomerAction::Reopen, None, now),
            Err(IllegalMove::NotReopenable)
        );
        assert_eq!(
            customer_action(Cancelled, CustomerAction::Reopen, Some(now), now),
            Err(IllegalMove::NotReopenable)
        );
    }

    #[test]
    fn the_desk_follows_the_lifecycle() {
        assert_eq!(desk_move(New, Assigned), Ok(Assigned));
        assert_eq!(
            desk_move(Assigned, WaitingOnCustomer),
            Ok(WaitingOnCustomer)
        );
        assert_eq!(desk_move(Resolved, Closed), Ok(Closed));
        assert_eq!(desk_move(New, Closed), Err(IllegalMove::NotFromHere));
        assert_eq!(desk_move(Closed, InProgress), Err(IllegalMove::NotFromHere));
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn severity_24x7_and_numbers() {
        assert!(Severity::new(0).is_err() && Severity::new(5).is_err());
        let critical = Severity::new(1).expect("1");
        let normal = Severity::new(3).expect("3");
        assert_eq!(check_24x7(true, critical, true), Ok(()));
        assert_eq!(check_24x7(true, normal, true), Err("24x7_needs_severity_1"));
        assert_eq!(check_24x7(true, critical, false), Err("24x7_not_covered"));
        assert_eq!(check_24x7(false, normal, false), Ok(()));
        let n = case_number(123);
        assert_eq!(n, "5000000123");
        assert!(is_case_number(&n) && !is_case_number("4000000123") && !is_case_number("50000"));
    }
}
