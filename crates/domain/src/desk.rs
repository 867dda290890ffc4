//! The desk's own rules (SUP-3, SUP-4): how parts and onsite service orders move, the codes a
//! resolution can carry, and which coverage keys a service-level target can name.

/// What a case is resolved with (`POST /cases/{id}/status` with `resolved`).
pub const RESOLUTION_CODES: [&str; 7] = [
    "fixed",
    "part_replaced",
    "onsite_repair",
    "workaround",
    "no_fault_found",
    "not_supported",
    "duplicate",
];

/// The coverage a service-level target is for: a warranty's or contract's coverage level, or
/// `incident` for cases paid by an incident agreement.
pub const SLA_COVERAGES: [&str; 4] = ["parts_only", "nbd_onsite", "4h_24x7_onsite", "incident"];

/// A parts order: ordered, then shipped (with carrier and tracking), then delivered; returned
/// once shipped; cancelled before it ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartsStatus {
    Ordered,
    Shipped,
    Delivered,
    Returned,
    Cancelled,
}

impl PartsStatus {
    pub const ALL: [PartsStatus; 5] = [
        PartsStatus::Ordered,
        PartsStatus::Shipped,
        PartsStatus::Delivered,
        PartsStatus::Returned,
        PartsStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PartsStatus::Ordered => "ordered",
            PartsStatus::Shipped => "shipped",
            PartsStatus::Delivered => "delivered",
            PartsStatus::Returned => "returned",
            PartsStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Option<PartsStatus> {
        PartsStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether an order may move from `self` to `to`.
    pub fn may_become(self, to: PartsStatus) -> bool {
        use PartsStatus::*;
        matches!(
            (self, to),
            (Ordered, Shipped | Cancelled)
                | (Shipped, Delivered | Returned)
                | (Delivered, Returned)
        )
    }
}

/// An onsite service order: scheduled, then completed or cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceStatus {
    Scheduled,
    Completed,
    Cancelled,
}

impl ServiceStatus {
    pub const ALL: [ServiceStatus; 3] = [
        ServiceStatus::Scheduled,
        ServiceStatus::Completed,
        ServiceStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ServiceStatus::Scheduled => "scheduled",
            ServiceStatus::Completed => "completed",
            ServiceStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Option<ServiceStatus> {
        ServiceStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn may_become(self, to: ServiceStatus) -> bool {
        self == ServiceStatus::Scheduled && to != ServiceStatus::Scheduled
    }
}

/// Drops the quoted part of an emailed reply: everything from the first line that quotes
/// (`>`), or that introduces a quote (`On … wrote:`, a `-----Original Message-----` rule, or the
/// localised forms mail programs write), and a trailing signature (`-- `).
pub fn trim_quoted(text: &str) -> String {
    let mut kept = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        let introduces = trimmed.ends_with(':')
            && trimmed.len() < 200
            && ["wrote", "schreef", "a écrit", "skrev"]
                .iter()
                .any(|verb| trimmed.contains(verb));
        if trimmed.starts_with('>')
            || introduces
            || trimmed.starts_with("-----Original Message-----")
            || trimmed.starts_with("________________________________")
            || line == "-- "
        {
            break;
        }
        kept.push(line);
    }
    kept.join("\n").trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_orders_move_forward_only() {
        use PartsStatus::*;
        assert!(Ordered.may_become(Shipped));
        assert!(Shipped.may_become(Delivered));
        assert!(Delivered.may_become(Returned));
        assert!(Ordered.may_become(Cancelled));
        for (from, to) in [
            (Ordered, Delivered),
            (Delivered, Shipped),
            (Returned, Ordered),
            (Cancelled, Shipped),
            (Shipped, Cancelled),
            (Ordered, Ordered),
        ] {
            assert!(!from.may_become(to), "{from:?} -> {to:?}");
        }
        assert_eq!(PartsStatus::parse("shipped"), Some(Shipped));
        assert_eq!(PartsStatus::parse("lost"), None);
    }

    #[test]
    fn service_orders_end_once() {
        use ServiceStatus::*;
        assert!(Scheduled.may_become(Completed));
        assert!(Scheduled.may_become(Cancelled));
        assert!(!Completed.may_become(Cancelled));
        assert!(!Scheduled.may_become(Scheduled));
    }

    #[test]
    fn quoted_text_is_trimmed() {
        let reply = "The fan is replaced, thanks.\nIt runs quietly.\n\nOn Tue, 1 Dec 2026, Support <support@example.test> wrote:\n> Did the part arrive?\n";
        assert_eq!(
            trim_quoted(reply),
            "The fan is replaced, thanks.\nIt runs quietly."
        );
        assert_eq!(trim_quoted("Yes\n-- \nAnna\nAcme"), "Yes");
        assert_eq!(
            trim_quoted("Ja\nOp 1 dec. 2026 schreef Support:\n> x"),
            "Ja"
        );
        assert_eq!(trim_quoted("> only quote"), "");
        assert_eq!(
            trim_quoted("Fine\n-----Original Message-----\nFrom: x"),
            "Fine"
        );
    }
}
