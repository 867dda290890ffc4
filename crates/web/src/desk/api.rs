//! `/api/v1/admin/queues` and `/api/v1/admin/routing-rules`: operator admins set up the desk;
//! any staff may read the setup.

use super::types::{Created, Queue, Rule};
use super::{QueueBody, RuleBody};
use crate::auth::ApiUser;
use crate::error::AppResult;
use crate::forms::ApiJson;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/queues", get(queues).post(create_queue))
        .route("/admin/routing-rules", get(rules).post(create_rule))
}

async fn queues(State(state): State<AppState>, ApiUser(user): ApiUser) -> AppResult<Json<Value>> {
    let staff = crate::admin::staff(&user, false)?;
    let rows = super::queues(&state, &staff).await?;
    let items: Vec<Queue> = rows.iter().map(Queue::from).collect();
    Ok(Json(json!({ "items": items, "next_cursor": null })))
}

async fn create_queue(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<QueueBody>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let staff = crate::admin::staff(&user, true)?;
    let id = super::create_queue(&state, &staff, body).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.get() })))
}

async fn rules(State(state): State<AppState>, ApiUser(user): ApiUser) -> AppResult<Json<Value>> {
    let staff = crate::admin::staff(&user, false)?;
    let rows = super::rules(&state, &staff).await?;
    let items: Vec<Rule> = rows.iter().map(Rule::from).collect();
    Ok(Json(json!({ "items": items, "next_cursor": null })))
}

async fn create_rule(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<RuleBody>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let staff = crate::admin::staff(&user, true)?;
    let id = super::create_rule(&state, &staff, body).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.get() })))
}
