//! The case-management profile page and "My saved contacts".

use super::api::ProfileBody;
use crate::auth::PageUser;
use crate::companies::ContactBody;
use crate::error::AppResult;
use crate::forms::{ApiPath, Form};
use crate::i18n::Lang;
use crate::pages::{Chrome, Ctx, redirect_flash};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use supportal_domain::SavedContactId;
use supportal_domain::profile::{LANGUAGES, time_zones};
use supportal_store::contacts::ContactRef;
use supportal_store::contacts::SavedContactRow;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/profile", get(profile_page).post(save_profile))
        .route("/contacts", get(contacts_page).post(add_contact))
        .route("/contacts/from-company", post(from_company))
        .route("/contacts/{id}", get(edit_page).post(update_contact))
        .route("/contacts/{id}/delete", post(delete_contact))
}

/// The form's values: the saved profile, or what was just submitted.
struct Values {
    phone: String,
    contact_method: String,
    language: String,
    time_zone: String,
    country: String,
    site_id: Option<i64>,
    default_pin_id: Option<i64>,
    notify: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "profile/profile.html")]
struct ProfilePage {
    c: Chrome,
    v: super::ProfileView,
    f: Values,
    languages: &'static [&'static str],
    time_zones: &'static [&'static str],
}

/// The form's values: the profile's, or for a first profile the page's language and the
/// reader's time zone (the browser's, else the operator's).
fn values_of(view: &super::ProfileView, lang: &Lang) -> Values {
    match &view.profile {
        Some(p) => Values {
            phone: p.phone.clone(),
            contact_method: p.contact_method.clone(),
            language: p.language.clone(),
            time_zone: p.time_zone.clone(),
            country: p.country.clone(),
            site_id: p.site_id,
            default_pin_id: p.default_pin_id,
            notify: p.notify,
        },
        None => Values {
            phone: String::new(),
            contact_method: "email".into(),
            language: lang.code(),
            time_zone: lang.zone_name().unwrap_or("UTC").to_owned(),
            country: String::new(),
            site_id: view.sites.iter().find(|s| s.is_primary).map(|s| s.id),
            default_pin_id: None,
            notify: true,
        },
    }
}

async fn profile_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
) -> AppResult<Response> {
    let v = super::view(&state, &user).await?;
    let f = values_of(&v, &ctx.lang);
    let c = ctx.chrome(&state, "profile-title").await?;
    Ok(ProfilePage {
        c,
        v,
        f,
        languages: &LANGUAGES,
        time_zones: time_zones(),
    }
    .into_response())
}

#[derive(Deserialize)]
struct ProfileForm {
    #[serde(flatten)]
    body: ProfileBody,
    /// A checkbox sends nothing when unticked.
    #[serde(default, deserialize_with = "crate::forms::checkbox")]
    notify_box: bool,
}

async fn save_profile(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Form(f): Form<ProfileForm>,
) -> AppResult<Response> {
    let mut body = f.body;
    body.notify = f.notify_box;
    let values = Values {
        phone: body.phone.clone(),
        contact_method: body.contact_method.clone(),
        language: body.language.clone(),
        time_zone: body.time_zone.clone(),
        country: body.country.clone(),
        site_id: body.site_id,
        default_pin_id: body.default_pin_id,
        notify: body.notify,
    };
    match super::save(&state, &user, body.into()).await {
        Ok(_) => Ok(redirect_flash("/profile", "flash-profile-saved")),
        Err(e) => {
            let v = super::view(&state, &user).await?;
            let c = ctx.chrome(&state, "profile-title").await?.failed(e)?;
            Ok(ProfilePage {
                c,
                v,
                f: values,
                languages: &LANGUAGES,
                time_zones: time_zones(),
            }
            .into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "profile/contacts.html")]
struct ContactsPage {
    c: Chrome,
    saved: Vec<SavedContactRow>,
    f: ContactBody,
}

async fn contacts_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
) -> AppResult<Response> {
    let saved = super::saved_contacts(&state, &user).await?;
    let c = ctx.chrome(&state, "contacts-title").await?;
    Ok(ContactsPage {
        c,
        saved,
        f: ContactBody::default(),
    }
    .into_response())
}

async fn add_contact(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Form(f): Form<ContactBody>,
) -> AppResult<Response> {
    match super::save_contact(&state, &user, &f).await {
        Ok(_) => Ok(redirect_flash("/contacts", "flash-contact-saved")),
        Err(e) => {
            let saved = super::saved_contacts(&state, &user).await?;
            let c = ctx.chrome(&state, "contacts-title").await?.failed(e)?;
            Ok(ContactsPage { c, saved, f }.into_response())
        }
    }
}

#[derive(Deserialize)]
struct FromCompanyForm {
    #[serde(default)]
    source: String,
    #[serde(default)]
    id: i64,
}

async fn from_company(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Form(f): Form<FromCompanyForm>,
) -> AppResult<Response> {
    let saved = match ContactRef::parse(&f.source, f.id) {
        Some(entry) => super::save_from_company(&state, &user, entry).await,
        None => Err(supportal_app::AppError::not_found()),
    };
    match saved {
        Ok(_) => Ok(redirect_flash("/contacts", "flash-contact-saved")),
        Err(e) => {
            let saved = super::saved_contacts(&state, &user).await?;
            let c = ctx.chrome(&state, "contacts-title").await?.failed(e)?;
            Ok(ContactsPage {
                c,
                saved,
                f: ContactBody::default(),
            }
            .into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "profile/contact_edit.html")]
struct EditPage {
    c: Chrome,
    id: i64,
    f: ContactBody,
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let row = super::saved_contacts(&state, &user)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(crate::error::HttpError::not_found)?;
    let c = ctx.chrome(&state, "contact-edit-title").await?;
    Ok(EditPage {
        c,
        id,
        f: ContactBody {
            name: row.name,
            email: row.email,
            phone: row.phone,
        },
    }
    .into_response())
}

async fn update_contact(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(f): Form<ContactBody>,
) -> AppResult<Response> {
    match super::update_contact(&state, &user, SavedContactId(id), &f).await {
        Ok(_) => Ok(redirect_flash("/contacts", "flash-contact-saved")),
        Err(e) => {
            let c = ctx.chrome(&state, "contact-edit-title").await?.failed(e)?;
            Ok(EditPage { c, id, f }.into_response())
        }
    }
}

#[derive(Deserialize)]
struct Empty {}

async fn delete_contact(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(_): Form<Empty>,
) -> AppResult<Response> {
    super::delete_contact(&state, &user, SavedContactId(id)).await?;
    Ok(redirect_flash("/contacts", "flash-contact-removed"))
}
