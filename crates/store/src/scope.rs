//! Proof values for tenant isolation. Store functions that read or change a company's data take
//! one of these; their fields are private, so only the store can make them, and only after it has
//! checked the membership or the staff role (`sessions::company_scope`,
//! `SessionUser::staff_scope`). The SQL builder is private to the store as well, so no other
//! crate can query around a scope. The operator's own scope, for the CLI and the demo loader, is
//! `tools::operator`.
//!
//! None of these compile outside the store:
//!
//! ```compile_fail
//! let forged = supportal_store::CompanyScope {
//!     company_id: supportal_domain::CompanyId(1),
//!     user_id: supportal_domain::UserId(1),
//!     role: supportal_domain::Role::Admin,
//!     staff: false,
//! };
//! ```
//!
//! ```compile_fail
//! let staff = supportal_store::StaffScope::system();
//! ```
//!
//! ```compile_fail
//! let query = supportal_store::sql("SELECT * FROM cases");
//! ```

use supportal_domain::{CompanyId, Role, StaffRole, UserId};

/// The caller may read this company's data: an active member of it, or operator staff.
#[derive(Debug, Clone)]
pub struct CompanyScope {
    pub(crate) company_id: CompanyId,
    pub(crate) user_id: UserId,
    pub(crate) role: Role,
    pub(crate) staff: bool,
}

impl CompanyScope {
    pub fn company_id(&self) -> CompanyId {
        self.company_id
    }

    pub fn user_id(&self) -> UserId {
        self.user_id
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// Operator staff looking at a customer's company (not a member of it).
    pub fn is_staff(&self) -> bool {
        self.staff
    }

    /// The admin proof, when the caller is a company admin (or an operator admin acting for it).
    pub fn admin(&self) -> Option<AdminScope> {
        (self.role >= Role::Admin).then(|| AdminScope(self.clone()))
    }
}

/// The caller may administer this company (CMP-3).
#[derive(Debug, Clone)]
pub struct AdminScope(CompanyScope);

impl AdminScope {
    pub fn company_id(&self) -> CompanyId {
        self.0.company_id
    }

    pub fn user_id(&self) -> UserId {
        self.0.user_id
    }

    pub fn as_member(&self) -> &CompanyScope {
        &self.0
    }
}

/// The caller is operator staff.
#[derive(Debug, Clone)]
pub struct StaffScope {
    pub(crate) user_id: Option<UserId>,
    pub(crate) role: StaffRole,
}

impl StaffScope {
    /// The operator itself, for the CLI and the demo loader: no signed-in person. Outside the
    /// store only through `tools::operator`.
    pub(crate) fn system() -> StaffScope {
        StaffScope {
            user_id: None,
            role: StaffRole::OperatorAdmin,
        }
    }

    pub fn user_id(&self) -> Option<UserId> {
        self.user_id
    }

    pub fn role(&self) -> StaffRole {
        self.role
    }

    pub fn is_admin(&self) -> bool {
        self.role >= StaffRole::OperatorAdmin
    }

    /// Staff may look at any company; operator admins may also administer it.
    pub fn company(&self, company_id: CompanyId) -> CompanyScope {
        CompanyScope {
            company_id,
            user_id: self.user_id.unwrap_or(UserId(0)),
            role: if self.is_admin() {
                Role::Admin
            } else {
                Role::Member
            },
            staff: true,
        }
    }
}
