//! Accounts: tiers, company roles, staff roles and the access choice made after verification.

use serde::{Deserialize, Serialize};

/// The tier badge shown next to a user's name (SPEC "People").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Basic,
    Limited,
    Enterprise,
    Partner,
    Staff,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Basic => "basic",
            Tier::Limited => "limited",
            Tier::Enterprise => "enterprise",
            Tier::Partner => "partner",
            Tier::Staff => "staff",
        }
    }

    /// Derives the tier from what the account is linked to.
    /// Staff wins; then a validated membership (partner if any validated company is a partner);
    /// then a link to a company still pending validation; otherwise basic.
    pub fn derive(staff: bool, validated_kinds: &[crate::CompanyKind], pending_link: bool) -> Tier {
        if staff {
            Tier::Staff
        } else if validated_kinds.iter().any(|k| k.is_partner()) {
            Tier::Partner
        } else if !validated_kinds.is_empty() {
            Tier::Enterprise
        } else if pending_link {
            Tier::Limited
        } else {
            Tier::Basic
        }
    }
}

/// A member's role in a company. Ordered: `role >= Role::Admin` asks "may administer".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Member,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        match value {
            "member" => Some(Role::Member),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// Operator staff. Ordered: an operator admin may do everything an engineer may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    Engineer,
    OperatorAdmin,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Engineer => "engineer",
            StaffRole::OperatorAdmin => "operator_admin",
        }
    }

    /// Accepts both the stored form and the CLI's `operator-admin`.
    pub fn parse(value: &str) -> Option<StaffRole> {
        match value {
            "engineer" => Some(StaffRole::Engineer),
            "operator_admin" | "operator-admin" => Some(StaffRole::OperatorAdmin),
            _ => None,
        }
    }
}

/// What a verified user asks for (ACC-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessChoice {
    Enterprise,
    Partner,
    Basic,
}

impl AccessChoice {
    pub fn as_str(self) -> &'static str {
        match self {
            AccessChoice::Enterprise => "enterprise",
            AccessChoice::Partner => "partner",
            AccessChoice::Basic => "basic",
        }
    }

    pub fn parse(value: &str) -> Option<AccessChoice> {
        match value {
            "enterprise" => Some(AccessChoice::Enterprise),
            "partner" => Some(AccessChoice::Partner),
            "basic" => Some(AccessChoice::Basic),
            _ => None,
        }
    }
}

/// Passwords: 10 to 128 characters, not only one repeated character.
pub fn password_problem(password: &str) -> Option<&'static str> {
    let count = password.chars().count();
    if count < 10 {
        Some("password_too_short")
    } else if count > 128 {
        Some("too_long")
    } else if password.chars().all(|c| password.starts_with(c)) {
        Some("password_too_weak")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CompanyKind;

    #[test]
    fn tier_derivation() {
        assert_eq!(
            Tier::derive(true, &[CompanyKind::Customer], false),
            Tier::Staff
        );
        assert_eq!(
            Tier::derive(false, &[CompanyKind::Customer], true),
            Tier::Enterprise
        );
        assert_eq!(
            Tier::derive(
                false,
                &[CompanyKind::Customer, CompanyKind::PartnerServiceDelivery],
                false
            ),
            Tier::Partner
        );
        assert_eq!(Tier::derive(false, &[], true), Tier::Limited);
        assert_eq!(Tier::derive(false, &[], false), Tier::Basic);
    }

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Admin > Role::Member);
        assert!(StaffRole::OperatorAdmin > StaffRole::Engineer);
        assert_eq!(
            StaffRole::parse("operator-admin"),
            Some(StaffRole::OperatorAdmin)
        );
        assert_eq!(Role::parse("owner"), None);
    }

    #[test]
    fn password_rules() {
        assert_eq!(password_problem("short"), Some("password_too_short"));
        assert_eq!(password_problem("aaaaaaaaaaaa"), Some("password_too_weak"));
        assert_eq!(password_problem(&"x1".repeat(70)), Some("too_long"));
        assert_eq!(password_problem("correct horse battery"), None);
    }
}
