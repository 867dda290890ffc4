//! The case-management profile (PRF-1, PRF-2) and the user's saved contacts (CMP-5).

use crate::companies::{ContactBody, check_contact};
use crate::context::Context;
use crate::error::{AppError, AppResult};
use crate::onboarding;
use supportal_domain::profile::{self, ProfileInput};
use supportal_domain::{CompanyId, SavedContactId};
use supportal_store::companies::{self, PinRow, SiteRow};
use supportal_store::contacts::{self, SavedContactRow};
use supportal_store::profiles::{self, ProfileRow};
use supportal_store::sessions::{self, SessionUser};
use supportal_store::{CompanyScope, StoreError};

/// The profile with what its form needs: the read-only names and the company's sites and PINs.
#[derive(Debug)]
pub struct ProfileView {
    pub name: String,
    pub email: String,
    pub complete: bool,
    pub profile: Option<ProfileRow>,
    pub sites: Vec<SiteRow>,
    pub pins: Vec<PinRow>,
}

/// The scope of the user's own company; the profile is for case management, which needs one.
async fn own_scope(ctx: &Context, user: &SessionUser) -> AppResult<CompanyScope> {
    let me = onboarding::me(ctx, user).await?;
    let company = me
        .company()
        .ok_or_else(|| AppError::forbidden("company_required"))?;
    crate::companies::scope(ctx, user, CompanyId(company.company_id)).await
}

pub async fn view(ctx: &Context, user: &SessionUser) -> AppResult<ProfileView> {
    let scope = own_scope(ctx, user).await?;
    let mut tx = ctx.db.read().await?;
    let profile = profiles::get(&mut tx, user.user_id()).await?;
    let view = ProfileView {
        name: user.name.clone(),
        email: user.email.clone(),
        complete: profile.is_some(),
        profile,
        sites: companies::sites(&mut tx, &scope).await?,
        pins: companies::pins(&mut tx, &scope).await?,
    };
    tx.rollback().await?;
    Ok(view)
}

/// Saves the profile after the server-side completeness check (PRF-2).
pub async fn save(
    ctx: &Context,
    user: &SessionUser,
    input: ProfileInput,
) -> AppResult<ProfileView> {
    let scope = own_scope(ctx, user).await?;
    let mut tx = ctx.db.begin().await?;
    let site_ok = match input.site_id {
        Some(id) => companies::owns_site(&mut tx, &scope, supportal_domain::SiteId(id)).await?,
        None => false,
    };
    let pin_ok = match input.default_pin_id {
        Some(id) => companies::owns_pin(&mut tx, &scope, supportal_domain::PinId(id)).await?,
        None => false,
    };
    let has_pins = !companies::pins(&mut tx, &scope).await?.is_empty();
    let checked = profile::check(input, site_ok, pin_ok, has_pins)?;
    profiles::put(&mut tx, user.user_id(), &checked, ctx.now()).await?;
    tx.commit().await?;
    view(ctx, user).await
}

/// The language switch of a signed-in person (I18N-1): their profile's language becomes
/// `language`, one of the five, and so does the account's (what their mail uses before they
/// have a profile).
pub async fn set_language(ctx: &Context, user: &SessionUser, language: &str) -> AppResult<()> {
    if !profile::LANGUAGES.contains(&language) {
        return Err(AppError::field("language", "invalid_choice"));
    }
    let mut tx = ctx.db.begin().await?;
    profiles::set_language(&mut tx, user.user_id(), language, ctx.now()).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn saved_contacts(ctx: &Context, user: &SessionUser) -> AppResult<Vec<SavedContactRow>> {
    let mut tx = ctx.db.read().await?;
    let rows = contacts::saved(&mut tx, user.user_id()).await?;
    tx.rollback().await?;
    Ok(rows)
}

fn conflict_as_duplicate(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(_) => AppError::conflict("contact_already_saved"),
        other => other.into(),
    }
}

pub async fn save_contact(
    ctx: &Context,
    user: &SessionUser,
    body: &ContactBody,
) -> AppResult<SavedContactRow> {
    let input = check_contact(body)?;
    let mut tx = ctx.db.begin().await?;
    let id = contacts::save(&mut tx, user.user_id(), &input, ctx.now())
        .await
        .map_err(conflict_as_duplicate)?;
    let row = contacts::get_saved(&mut tx, user.user_id(), id).await?;
    tx.commit().await?;
    Ok(row)
}

/// Copies an entry of the company contact list into the user's saved contacts.
pub async fn save_from_company(
    ctx: &Context,
    user: &SessionUser,
    entry: contacts::ContactRef,
) -> AppResult<SavedContactRow> {
    let scope = own_scope(ctx, user).await?;
    let mut tx = ctx.db.read().await?;
    let entry = contacts::company_contact(&mut tx, &scope, entry).await?;
    tx.rollback().await?;
    save_contact(
        ctx,
        user,
        &ContactBody {
            name: entry.name,
            email: entry.email,
            phone: entry.phone,
        },
    )
    .await
}

pub async fn update_contact(
    ctx: &Context,
    user: &SessionUser,
    id: SavedContactId,
    body: &ContactBody,
) -> AppResult<SavedContactRow> {
    let input = check_contact(body)?;
    let mut tx = ctx.db.begin().await?;
    contacts::update_saved(&mut tx, user.user_id(), id, &input)
        .await
        .map_err(conflict_as_duplicate)?;
    let row = contacts::get_saved(&mut tx, user.user_id(), id).await?;
    tx.commit().await?;
    Ok(row)
}

pub async fn delete_contact(
    ctx: &Context,
    user: &SessionUser,
    id: SavedContactId,
) -> AppResult<()> {
    let mut tx = ctx.db.begin().await?;
    contacts::delete_saved(&mut tx, user.user_id(), id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn sessions(ctx: &Context, user: &SessionUser) -> AppResult<Vec<sessions::SessionInfo>> {
    let mut tx = ctx.db.read().await?;
    let rows = sessions::list(&mut tx, user.user_id(), ctx.now()).await?;
    tx.rollback().await?;
    Ok(rows)
}
