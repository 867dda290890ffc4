//! Case attachments (CAS-6): checked by content before anything is stored; bytes go to the file
//! store, records into the case's transaction; downloads only for people who may see the case.

use crate::context::Context;
use crate::error::{AppError, AppResult};
use supportal_domain::attachment::{
    self, FileType, MAX_CASE_BYTES, MAX_FILES_AT_CREATION, MAX_FILES_PER_CASE, MAX_TOTAL_BYTES,
};
use supportal_domain::{FieldError, FieldErrors, UserId};
use supportal_store::Tx;
use supportal_store::cases::{self, CaseViewer, NewAttachment};
use supportal_store::sessions::SessionUser;

/// A file as it arrived.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A checked file, ready to store.
pub struct Checked {
    pub name: String,
    pub kind: FileType,
    pub bytes: Vec<u8>,
}

fn refused(code: &'static str, file: &str) -> AppError {
    let mut e = AppError::new(crate::error::Kind::Invalid, code);
    e.fields = FieldErrors(vec![FieldError {
        field: file.to_owned(),
        code,
    }]);
    e
}

/// Checks every file; the first refusal names the file and the reason.
pub fn check(files: Vec<Incoming>, at_creation: bool) -> AppResult<Vec<Checked>> {
    if at_creation && files.len() > MAX_FILES_AT_CREATION {
        return Err(AppError::unprocessable("too_many_attachments"));
    }
    if files.iter().map(|f| f.bytes.len()).sum::<usize>() > MAX_TOTAL_BYTES {
        return Err(AppError::unprocessable("attachments_too_large_together"));
    }
    files
        .into_iter()
        .map(|f| {
            let name = attachment::clean_name(&f.name);
            match attachment::check(&name, &f.bytes) {
                Ok(kind) => Ok(Checked {
                    name,
                    kind,
                    bytes: f.bytes,
                }),
                Err(refusal) => Err(refused(refusal.code(), &name)),
            }
        })
        .collect()
}

/// Writes the bytes to the store; returns the keys (to record, or to delete if the case fails).
pub async fn store(ctx: &Context, files: &[Checked]) -> AppResult<Vec<String>> {
    let mut keys = Vec::with_capacity(files.len());
    for f in files {
        let key = crate::auth::random_token();
        if let Err(e) = ctx.files.put(&key, &f.bytes).await {
            forget(ctx, &keys).await;
            return Err(AppError::internal(e));
        }
        keys.push(key);
    }
    Ok(keys)
}

/// Deletes stored bytes whose records were not committed.
pub async fn forget(ctx: &Context, keys: &[String]) {
    for key in keys {
        if let Err(error) = ctx.files.delete(key).await {
            tracing::warn!(%error, "could not delete an unused attachment");
        }
    }
}

/// Records stored files on a case inside the caller's transaction.
/// Records stored files on a case with a history event each, from a user or (by email, without
/// an account) from an address.
pub async fn record(
    tx: &mut Tx,
    case_id: cases::CaseKey,
    files: &[Checked],
    keys: &[String],
    by: UserId,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    record_from(tx, case_id, files, keys, Ok(by), now).await
}

/// `record` for files that came by email from someone without an account.
pub async fn record_by_email(
    tx: &mut Tx,
    case_id: cases::CaseKey,
    files: &[Checked],
    keys: &[String],
    from: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    record_from(tx, case_id, files, keys, Err(from), now).await
}

async fn record_from(
    tx: &mut Tx,
    case_id: cases::CaseKey,
    files: &[Checked],
    keys: &[String],
    by: Result<UserId, &str>,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    for (f, key) in files.iter().zip(keys) {
        let new = NewAttachment {
            file_name: &f.name,
            content_type: f.kind.content_type(),
            size_bytes: f.bytes.len() as i64,
            storage_key: key,
        };
        cases::add_attachment(tx, case_id, &new, by.ok(), now).await?;
        match by {
            Ok(user) => {
                let kind = "attachment_added";
                cases::event(tx, case_id, Some(user), kind, None, &f.name, now).await?;
            }
            Err(from) => {
                let kind = "attachment_added";
                cases::emailed_event(tx, case_id, None, from, kind, &f.name, now).await?;
            }
        }
    }
    Ok(())
}

/// CAS-10: one more file on an existing case.
pub async fn add(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
    file: Incoming,
) -> AppResult<super::CaseDetail> {
    let viewer = CaseViewer::of(user);
    let checked = check(vec![file], false)?;
    let mut tx = ctx.db.read().await?;
    let case = cases::get(&mut tx, &viewer, number)
        .await?
        .ok_or_else(super::not_found)?;
    tx.rollback().await?;
    let keys = store(ctx, &checked).await?;
    let result = async {
        let mut tx = ctx.db.begin().await?;
        let (files, bytes) = cases::attachment_totals(&mut tx, case.id).await?;
        let adding: i64 = checked.iter().map(|f| f.bytes.len() as i64).sum();
        if files + checked.len() as i64 > MAX_FILES_PER_CASE {
            return Err(AppError::unprocessable("case_attachments_full"));
        }
        if bytes + adding > MAX_CASE_BYTES {
            return Err(AppError::unprocessable("case_attachments_too_large"));
        }
        record(
            &mut tx,
            case.id,
            &checked,
            &keys,
            viewer.user_id(),
            ctx.now(),
        )
        .await?;
        tx.commit().await?;
        Ok::<(), AppError>(())
    }
    .await;
    if let Err(e) = result {
        forget(ctx, &keys).await;
        return Err(e);
    }
    super::detail(ctx, user, number).await
}

/// The bytes, type and name of one attachment of a case the caller may see.
pub async fn download(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
    id: supportal_domain::AttachmentId,
) -> AppResult<(Vec<u8>, String, String)> {
    let viewer = CaseViewer::of(user);
    let mut tx = ctx.db.read().await?;
    let case = cases::get(&mut tx, &viewer, number)
        .await?
        .ok_or_else(super::not_found)?;
    let file = cases::attachments(&mut tx, case.id)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(AppError::not_found)?;
    tx.rollback().await?;
    let bytes = ctx
        .files
        .get(&file.storage_key)
        .await
        .map_err(AppError::internal)?;
    Ok((bytes, file.content_type, file.file_name))
}
