//! The chat pages: start a chat from any signed-in page (or be offered a case when the desk is
//! closed), the chat itself (a form that works without script; `static/chat.js` adds the
//! WebSocket and, failing that, polling), *Recent chats*, turning a chat into a case, and the
//! engineers' console.

use super::api::After;
use super::message_json;
use crate::auth::PageUser;
use crate::error::{AppResult, HttpError};
use crate::forms::{ApiPath, Form};
use crate::pages::{Chrome, Ctx, redirect_flash};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use supportal_app::chat::{self, CaseBody, ChatView, StartBody};
use supportal_domain::ChatId;
use supportal_store::chat::ChatRow;
use supportal_store::sessions::SessionUser;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/chat", get(home).post(start))
        .route("/chat/{id}", get(chat_page))
        .route("/chat/{id}/messages", post(send))
        .route("/chat/{id}/poll", get(poll))
        .route("/chat/{id}/socket", get(socket))
        .route("/chat/{id}/take", post(take))
        .route("/chat/{id}/end", post(end))
        .route("/chat/{id}/case", get(case_page).post(to_case))
        .route("/desk/chats", get(console))
}

#[derive(Template, WebTemplate)]
#[template(path = "chat/home.html")]
struct HomePage {
    c: Chrome,
    f: StartBody,
    closed: bool,
    recent: Vec<ChatView>,
}

impl HomePage {
    fn transcript(&self, v: &ChatView) -> String {
        chat::transcript_text(&self.c.lang, v)
    }
}

async fn render_home(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    f: StartBody,
    failed: Option<supportal_app::AppError>,
) -> AppResult<Response> {
    let recent = chat::recent(state, user).await?;
    let mut c = ctx.chrome(state, "chat-title").await?;
    let closed = failed.as_ref().is_some_and(|e| e.code == "chat_closed");
    if let Some(e) = failed.filter(|e| e.code != "chat_closed") {
        c = c.failed(e)?;
    }
    Ok(HomePage {
        c,
        f,
        closed,
        recent,
    }
    .into_response())
}

/// The start form and *Recent chats*; an open chat goes straight to it.
async fn home(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
) -> AppResult<Response> {
    if let Some(open) = chat::recent(&state, &user)
        .await?
        .into_iter()
        .find(|v| v.chat.status != "ended")
    {
        return Ok(Redirect::to(&format!("/chat/{}", open.chat.id)).into_response());
    }
    render_home(&state, &ctx, &user, StartBody::default(), None).await
}

async fn start(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Form(f): Form<StartBody>,
) -> AppResult<Response> {
    match chat::start(&state, &user, &f).await {
        Ok((v, _)) => Ok(Redirect::to(&format!("/chat/{}", v.chat.id)).into_response()),
        Err(e) if e.kind == supportal_app::Kind::Invalid || e.code == "chat_closed" => {
            render_home(&state, &ctx, &user, f, Some(e)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "chat/chat.html")]
struct ChatPage {
    c: Chrome,
    v: ChatView,
    last: i64,
}

impl ChatPage {
    fn who(&self, m: &supportal_store::chat::MessageRow) -> String {
        match (m.from_staff, &m.author) {
            (true, Some(name)) if self.v.engineer => name.clone(),
            (true, _) => self.c.t("chat-desk"),
            (false, Some(name)) => name.clone(),
            (false, None) => String::new(),
        }
    }
}

async fn chat_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let v = chat::view(&state, &user, ChatId(id), 0).await?;
    let mut c = ctx.chrome(&state, "chat-title").await?;
    c.title.clone_from(&v.chat.subject);
    let last = v.messages.last().map(|m| m.id).unwrap_or(0);
    Ok(ChatPage { c, v, last }.into_response())
}

#[derive(Deserialize)]
struct SendForm {
    #[serde(default)]
    body: String,
}

async fn send(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(f): Form<SendForm>,
) -> AppResult<Response> {
    chat::send(&state, &user, ChatId(id), &f.body).await?;
    Ok(Redirect::to(&format!("/chat/{id}#end")).into_response())
}

/// The script's fallback when no WebSocket gets through: what is new after `after`.
async fn poll(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Query(p): Query<After>,
) -> AppResult<Json<Value>> {
    let v = chat::view(&state, &user, ChatId(id), p.after).await?;
    let items: Vec<Value> = v.messages.iter().map(message_json).collect();
    let text = super::status_text(&ctx.lang, &v.chat, v.position);
    Ok(Json(
        json!({ "status": v.chat.status, "position": v.position, "text": text,
                    "engineer": v.chat.engineer, "case_id": v.chat.case_number, "items": items }),
    ))
}

/// The page's WebSocket, by the session cookie; only from the portal's own pages (`Origin`),
/// so another site cannot open it with the visitor's cookie.
async fn socket(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Query(p): Query<After>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> AppResult<Response> {
    let origin = headers
        .get(axum::http::header::ORIGIN)
        .and_then(|o| o.to_str().ok());
    let ours = state.config.base_url.trim_end_matches('/');
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok());
    let same = |o: &str| {
        o == ours || host.is_some_and(|h| o.split_once("://").is_some_and(|(_, rest)| rest == h))
    };
    if !origin.is_some_and(same) {
        return Err(HttpError::forbidden("cross_origin"));
    }
    super::socket::upgrade(state, user, ChatId(id), p.after, ws).await
}

async fn take(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(_): Form<NoFields>,
) -> AppResult<Response> {
    chat::take(&state, &user, ChatId(id)).await?;
    Ok(Redirect::to(&format!("/chat/{id}")).into_response())
}

#[derive(Deserialize)]
struct NoFields {}

async fn end(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(_): Form<NoFields>,
) -> AppResult<Response> {
    chat::end(&state, &user, ChatId(id)).await?;
    Ok(redirect_flash(&format!("/chat/{id}"), "flash-chat-ended"))
}

#[derive(Template, WebTemplate)]
#[template(path = "chat/case.html")]
struct CasePage {
    c: Chrome,
    v: ChatView,
    f: CaseForm,
}

#[derive(Debug, Default, Deserialize)]
struct CaseForm {
    /// `serial`, `agreement` or `product`, as the case form's first step.
    #[serde(default)]
    start: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    country: String,
}

async fn case_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let v = chat::view(&state, &user, ChatId(id), 0).await?;
    if let Some(number) = &v.chat.case_number {
        return Ok(Redirect::to(&format!("/cases/{number}")).into_response());
    }
    let c = ctx.chrome(&state, "chat-case-title").await?;
    let f = CaseForm {
        start: "serial".into(),
        title: v.chat.subject.clone(),
        severity: "3".into(),
        ..CaseForm::default()
    };
    Ok(CasePage { c, v, f }.into_response())
}

async fn to_case(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(f): Form<CaseForm>,
) -> AppResult<Response> {
    let value = Some(f.value.trim().to_owned()).filter(|v| !v.is_empty());
    let body = CaseBody {
        serial_number: value.clone().filter(|_| f.start == "serial"),
        agreement_id: value.clone().filter(|_| f.start == "agreement"),
        sku: value.filter(|_| f.start == "product"),
        title: Some(f.title.clone()),
        severity: f.severity.trim().parse().ok(),
        country: Some(f.country.trim().to_owned()).filter(|c| !c.is_empty()),
        time_zone: None,
    };
    match chat::to_case(&state, &user, ChatId(id), &body).await {
        Ok(number) => Ok(redirect_flash(
            &format!("/cases/{number}"),
            "flash-chat-case",
        )),
        Err(e)
            if e.kind == supportal_app::Kind::Invalid
                || e.kind == supportal_app::Kind::Conflict =>
        {
            let v = chat::view(&state, &user, ChatId(id), 0).await?;
            let c = ctx.chrome(&state, "chat-case-title").await?.failed(e)?;
            Ok(CasePage { c, v, f }.into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "chat/console.html")]
struct ConsolePage {
    c: Chrome,
    chats: Vec<(ChatRow, Option<i64>)>,
}

async fn console(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
) -> AppResult<Response> {
    let chats = chat::console(&state, &user).await?;
    let c = ctx.chrome(&state, "chat-console-title").await?;
    Ok(ConsolePage { c, chats }.into_response())
}
