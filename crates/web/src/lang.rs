//! The language of each request (I18N-1): decided once, before any handler runs, from the
//! language switch's cookie, `Accept-Language` and the operator's default, then replaced by the
//! signed-in person's profile language as soon as the session is known (`prefer`). Handlers
//! read it with the `UserLang` extractor; errors, which are rendered without the request at
//! hand, read it with `current`.

use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Mutex;
use supportal_store::sessions::SessionUser;

/// The cookie the language switch sets.
pub const COOKIE: &str = "supportal_lang";

/// The cookie `static/tz.js` keeps the browser's time zone in.
pub const ZONE_COOKIE: &str = "supportal_tz";

tokio::task_local! {
    static REQUEST: Mutex<Lang>;
}

/// The switch's cookie and `Accept-Language` of a request.
fn asks(headers: &HeaderMap) -> (Option<String>, Option<&str>) {
    let switched = crate::cookies::get(headers, COOKIE);
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    (switched, accept)
}

/// The language the request's headers ask for, before the session is known (`Lang::choose`
/// without the profile, which `prefer` adds).
pub fn from_headers(headers: &HeaderMap, default: &str) -> Lang {
    let (switched, accept) = asks(headers);
    Lang::choose(None, switched.as_deref(), accept, default)
}

/// The language the request itself names (the switch's cookie or `Accept-Language`), if any:
/// what a registration keeps, so that an operator's default is not mistaken for a choice.
pub fn asked(headers: &HeaderMap) -> Option<Lang> {
    let (switched, accept) = asks(headers);
    Lang::named(None, switched.as_deref(), accept)
}

/// Runs the request with its language at hand.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let lang = from_headers(req.headers(), &state.config.language);
    REQUEST.scope(Mutex::new(lang), next.run(req)).await
}

/// The request's language (English outside a request).
pub fn current() -> Lang {
    REQUEST
        .try_with(|l| l.lock().map(|l| l.clone()).unwrap_or_default())
        .unwrap_or_default()
}

/// The signed-in person's profile language, when they chose one, wins for the rest of the
/// request.
pub fn prefer(user: &SessionUser) {
    if let Some(lang) = user.language.as_deref().and_then(Lang::of_code) {
        let _ = REQUEST.try_with(|l| {
            if let Ok(mut l) = l.lock() {
                *l = lang;
            }
        });
    }
}

/// `POST /language`: the language switch on every page. Keeps the choice in a cookie for a
/// year and, for a signed-in person with a profile, in the profile; then back to the page the
/// form was on.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/language", axum::routing::post(switch))
}

#[derive(serde::Deserialize)]
struct SwitchForm {
    #[serde(default)]
    language: String,
}

async fn switch(
    State(state): State<AppState>,
    headers: HeaderMap,
    ctx: crate::pages::Ctx,
    crate::forms::Form(form): crate::forms::Form<SwitchForm>,
) -> crate::error::AppResult<Response> {
    let code = form.language.trim();
    if Lang::exact(code).is_none() {
        return Err(supportal_app::error::AppError::field("language", "invalid_choice").into());
    }
    if let Some(user) = &ctx.user {
        supportal_app::profile::set_language(&state, user, code).await?;
    }
    let mut response = axum::response::Redirect::to(&back_to(&headers)).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        crate::cookies::set(
            COOKIE,
            code,
            Some(365 * 24 * 3600),
            state.config.secure_cookies,
        ),
    );
    Ok(response)
}

/// The page the switch was used on (the path of `Referer`), else the home page.
fn back_to(headers: &HeaderMap) -> String {
    let path = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.parse::<axum::http::Uri>().ok())
        .and_then(|u| u.path_and_query().map(|p| p.as_str().to_owned()));
    crate::pages::safe_next(path.as_deref())
}
