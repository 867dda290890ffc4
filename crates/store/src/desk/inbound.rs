//! Replies that come back by email: who sent one, whether they may see its case, and the
//! Message-IDs already taken.

use crate::cases::{self, CaseRow, CaseViewer};
use crate::{Result, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::{StaffRole, UserId};

/// The case a reply goes to and who it is from.
#[derive(Debug, Clone)]
pub struct Sender {
    pub case: CaseRow,
    /// The sender's account, when they have one.
    pub user: Option<UserId>,
    pub staff: bool,
}

/// Case `number` as its reply's sender sees it: through the sender's account when they have an
/// active one (the rules of CAS-13), else as a contact named on the case (primary, alternate or
/// additional). `None` when the sender may not see it, or it does not exist.
pub async fn sender(tx: &mut Tx, number: &str, email: &str) -> Result<Option<Sender>> {
    #[derive(sqlx::FromRow)]
    struct Account {
        id: i64,
        staff_role: Option<String>,
        active: bool,
    }
    let account: Option<Account> = sql("SELECT id, staff_role, active FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(tx)
        .await?;
    if let Some(a) = account {
        if !a.active {
            return Ok(None);
        }
        let role = a.staff_role.as_deref().and_then(StaffRole::parse);
        let viewer = match role {
            Some(StaffRole::OperatorAdmin) => CaseViewer::Staff { user_id: a.id },
            Some(StaffRole::Engineer) => CaseViewer::Engineer { user_id: a.id },
            None => CaseViewer::Customer {
                user_id: a.id,
                email: email.to_owned(),
                repair_queue: None,
            },
        };
        return Ok(cases::get(tx, &viewer, number).await?.map(|case| Sender {
            case,
            user: Some(UserId(a.id)),
            staff: role.is_some(),
        }));
    }
    let text = format!(
        "{} WHERE c.number = $1 AND (c.primary_email = $2 OR c.alternate_email = $2
             OR EXISTS (SELECT 1 FROM case_contacts cc WHERE cc.case_id = c.id AND cc.email = $2))",
        cases::CASE
    );
    Ok(sql(text)
        .bind(number)
        .bind(email)
        .fetch_optional::<CaseRow>(tx)
        .await?
        .map(|case| Sender {
            case,
            user: None,
            staff: false,
        }))
}

/// Remembers a message taken; `false` when it was taken before (a provider's retry).
pub async fn remember(
    tx: &mut Tx,
    message_id: &str,
    case: cases::CaseKey,
    now: DateTime<Utc>,
) -> Result<bool> {
    let added = sql("INSERT INTO inbound_messages (message_id, case_id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(message_id)
        .bind(case)
        .bind(now)
        .execute(tx)
        .await?;
    Ok(added == 1)
}
