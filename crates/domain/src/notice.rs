//! In-app notifications and how each person wants them (NTF-1): the kinds of event that reach
//! a person, and per kind whether they come in the portal, by email, both or not at all.

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// The desk (or a service partner) answered on a case the person follows.
    CaseReply,
    /// A case the person follows changed status.
    CaseStatus,
    /// Someone invited the person to a company.
    Invitation,
    /// The operator answered the person's access request.
    AccessRequest,
    /// A case in one of an engineer's queues missed an SLA target.
    SlaBreach,
    /// A monitored device raised an alert for the person (PTN-5).
    DeviceAlert,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 6] = [
        NoticeKind::CaseReply,
        NoticeKind::CaseStatus,
        NoticeKind::Invitation,
        NoticeKind::AccessRequest,
        NoticeKind::SlaBreach,
        NoticeKind::DeviceAlert,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::CaseReply => "case_reply",
            NoticeKind::CaseStatus => "case_status",
            NoticeKind::Invitation => "invitation",
            NoticeKind::AccessRequest => "access_request",
            NoticeKind::SlaBreach => "sla_breach",
            NoticeKind::DeviceAlert => "device_alert",
        }
    }

    pub fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether only the operator's engineers receive it (the others do not see the setting).
    pub fn for_engineers(self) -> bool {
        matches!(self, NoticeKind::SlaBreach)
    }

    /// How it reaches someone who chose nothing. Case mail follows the profile's older
    /// "email me about my cases" choice (`case_mail`); everything else comes both ways.
    pub fn default_delivery(self, case_mail: bool) -> Delivery {
        match self {
            NoticeKind::CaseReply | NoticeKind::CaseStatus if !case_mail => Delivery::InApp,
            _ => Delivery::Both,
        }
    }
}

/// Where a kind of notification goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    InApp,
    Email,
    Both,
    None,
}

impl Delivery {
    pub const ALL: [Delivery; 4] = [
        Delivery::InApp,
        Delivery::Email,
        Delivery::Both,
        Delivery::None,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::InApp => "in_app",
            Delivery::Email => "email",
            Delivery::Both => "both",
            Delivery::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Delivery> {
        Delivery::ALL.into_iter().find(|d| d.as_str() == s)
    }

    pub fn in_app(self) -> bool {
        matches!(self, Delivery::InApp | Delivery::Both)
    }

    pub fn email(self) -> bool {
        matches!(self, Delivery::Email | Delivery::Both)
    }
}

/// An invitation carries the link that accepts it: it is always mailed, whatever the setting,
/// or a person who turned mail off could never join. The setting still governs the bell.
pub fn must_mail(kind: NoticeKind) -> bool {
    kind == NoticeKind::Invitation
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_deliveries_round_trip() {
        for kind in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(kind.as_str()), Some(kind));
        }
        for delivery in Delivery::ALL {
            assert_eq!(Delivery::parse(delivery.as_str()), Some(delivery));
        }
        assert_eq!(NoticeKind::parse("sla-breach-response"), None);
        assert_eq!(Delivery::parse("sms"), None);
    }

    #[test]
    fn each_delivery_says_where_it_goes() {
        assert!(Delivery::Both.in_app() && Delivery::Both.email());
        assert!(Delivery::InApp.in_app() && !Delivery::InApp.email());
        assert!(!Delivery::Email.in_app() && Delivery::Email.email());
        assert!(!Delivery::None.in_app() && !Delivery::None.email());
    }

    #[test]
    fn case_mail_off_in_the_profile_keeps_case_notices_in_the_portal() {
        assert_eq!(
            NoticeKind::CaseReply.default_delivery(false),
            Delivery::InApp
        );
        assert_eq!(
            NoticeKind::CaseStatus.default_delivery(true),
            Delivery::Both
        );
        assert_eq!(
            NoticeKind::SlaBreach.default_delivery(false),
            Delivery::Both
        );
        assert!(must_mail(NoticeKind::Invitation));
        assert!(!must_mail(NoticeKind::CaseReply));
    }
}
