//! `/api/v1/me/profile` and `/api/v1/me/saved-contacts`.

use super::types::{ProfileDetails, SavedContact};
use crate::auth::ApiUser;
use crate::companies::ContactBody;
use crate::error::AppResult;
use crate::forms::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, patch};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use supportal_domain::SavedContactId;
use supportal_domain::profile::ProfileInput;
use supportal_store::contacts::ContactRef;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me/profile", get(profile).put(save_profile))
        .route("/me/saved-contacts", get(saved).post(save))
        .route("/me/saved-contacts/{id}", patch(update).delete(delete))
}

async fn profile(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Json<ProfileDetails>> {
    Ok(Json(ProfileDetails::from(
        &super::view(&state, &user).await?,
    )))
}

#[derive(Deserialize)]
pub struct ProfileBody {
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub contact_method: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub time_zone: String,
    #[serde(default)]
    pub country: String,
    #[serde(default, deserialize_with = "crate::forms::optional_id")]
    pub site_id: Option<i64>,
    #[serde(default, deserialize_with = "crate::forms::optional_id")]
    pub default_pin_id: Option<i64>,
    /// Notifications are on unless switched off (PRF-1).
    #[serde(default = "yes")]
    pub notify: bool,
}

fn yes() -> bool {
    true
}

impl From<ProfileBody> for ProfileInput {
    fn from(b: ProfileBody) -> Self {
        ProfileInput {
            phone: b.phone,
            contact_method: b.contact_method,
            language: b.language,
            time_zone: b.time_zone,
            country: b.country,
            site_id: b.site_id,
            default_pin_id: b.default_pin_id,
            notify: b.notify,
        }
    }
}

async fn save_profile(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<ProfileBody>,
) -> AppResult<Json<ProfileDetails>> {
    let saved = super::save(&state, &user, body.into()).await?;
    Ok(Json(ProfileDetails::from(&saved)))
}

async fn saved(State(state): State<AppState>, ApiUser(user): ApiUser) -> AppResult<Json<Value>> {
    Ok(Json(
        json!({ "items": super::saved_contacts(&state, &user).await?.iter().map(SavedContact::from).collect::<Vec<_>>(), "next_cursor": null }),
    ))
}

#[derive(Deserialize)]
struct SaveBody {
    /// Copy from the company list: `{source: "user" | "external", id}`.
    #[serde(default)]
    from: Option<FromCompany>,
    #[serde(flatten)]
    contact: ContactBody,
}

#[derive(Deserialize)]
struct FromCompany {
    source: String,
    id: i64,
}

async fn save(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<SaveBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let row = match body.from {
        Some(from) => {
            let entry = ContactRef::parse(&from.source, from.id)
                .ok_or_else(crate::error::HttpError::not_found)?;
            super::save_from_company(&state, &user, entry).await?
        }
        None => super::save_contact(&state, &user, &body.contact).await?,
    };
    Ok((StatusCode::CREATED, Json(json!(SavedContact::from(&row)))))
}

async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ContactBody>,
) -> AppResult<Json<Value>> {
    Ok(Json(json!(SavedContact::from(
        &super::update_contact(&state, &user, SavedContactId(id), &body).await?
    ))))
}

async fn delete(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    super::delete_contact(&state, &user, SavedContactId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
