//! Newtypes for identifiers, so a company ID can never be passed where a user ID is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($($name:ident),* $(,)?) => {$(
        #[derive(
            Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            pub fn get(self) -> i64 {
                self.0
            }
        }

        /// From a stored or sent number; the type says which entity it names from here on.
        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                $name(id)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

/// Calls `$m!` with every id type, so other crates (the store's `Arg`) cover the same list.
#[macro_export]
macro_rules! with_ids {
    ($m:ident) => {
        $m!(
            UserId,
            CompanyId,
            SiteId,
            PinId,
            InvitationId,
            ContactId,
            SavedContactId,
            AccessRequestId,
            SessionId,
            ProductId,
            AssetId,
            EntitlementId,
            AgreementId,
            IncidentUseId,
            PurchaseId,
            AttachmentId,
            MailId,
            QueueId,
            RoutingRuleId,
            CalendarId,
            SlaId,
            PartsOrderId,
            ServiceOrderId,
            DeviceId,
            DashboardId,
            AlertId,
            ClaimId,
            FeedTokenId,
            ArticleId,
            ChatId,
        );
    };
}

with_ids!(id_type);
