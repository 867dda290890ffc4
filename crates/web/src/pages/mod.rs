//! Server-rendered pages: plain HTML forms with a CSRF token, one stylesheet, no script needed.
//! This module holds what every page shares: the request context (`Ctx`), the layout data
//! (`Chrome`), flash messages, redirects, the error page and the static files.

mod assets;
mod home;

use crate::auth::MaybePageUser;
use crate::error::{AppResult, ErrorInfo, HttpError, Kind};
use crate::forms::{CSRF_COOKIE, CsrfToken};
use crate::i18n::Lang;
use crate::onboarding::{self, Me};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use supportal_domain::{FieldErrors, Tier};
use supportal_store::sessions::SessionUser;

pub const FLASH_COOKIE: &str = "supportal_flash";

pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .merge(assets::routes())
        .merge(home::routes())
        .merge(crate::lang::routes())
        .merge(crate::accounts::pages::routes())
        .merge(crate::onboarding::pages::routes())
        .merge(crate::companies::pages::routes())
        .merge(crate::profile::pages::routes())
        .merge(crate::notices::pages::routes())
        .merge(crate::knowledge::pages::routes())
        .merge(crate::knowledge::admin_pages::routes())
        .merge(crate::chat::pages::routes())
        .merge(crate::admin::pages::routes())
        .merge(crate::entitlements::pages::routes())
        .merge(crate::cases::pages::routes())
        .merge(crate::desk::pages::routes())
        .merge(crate::desk::console_pages::routes())
        .merge(crate::desk::sla_pages::routes())
        .merge(crate::partners::pages::routes())
        .merge(crate::partners::claim_pages::routes())
        .merge(crate::partners::operator_pages::routes())
        .layer(axum::extract::DefaultBodyLimit::max(crate::MAX_BODY_BYTES))
        .merge(crate::upload_limits(crate::admin::upload_pages::routes()))
        .fallback(|| async { HttpError::not_found() })
        .layer(middleware::from_fn_with_state(state, page_layer))
}

/// Gives every browser a CSRF cookie, hands the flash message to the page, and turns errors into
/// pages: 401 becomes a redirect to sign-in, the rest an error page with the same status.
async fn page_layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let existing = crate::cookies::get(req.headers(), CSRF_COOKIE);
    // Forms of a signed-in browser carry its session's token (`forms::expected_csrf`).
    let token = crate::forms::expected_csrf(req.headers())
        .or_else(|| existing.clone())
        .unwrap_or_else(crate::auth::random_token);
    let cookie_token = existing.clone().unwrap_or_else(|| token.clone());
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let flash = crate::cookies::get(req.headers(), FLASH_COOKIE);
    req.extensions_mut().insert(Flash(flash.clone()));
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".into());
    let mut response = next.run(req).await;
    if let Some(info) = response.extensions().get::<ErrorInfo>().cloned() {
        // The request's language, the profile's if the page knew who was asking.
        let lang = crate::lang::current().in_zone_or(None, state.config.time_zone);
        response = error_page(&lang, response.status(), &info, &path, &token);
    }
    let ok = response.status() == StatusCode::OK;
    let headers = response.headers_mut();
    if existing.is_none() {
        headers.append(
            header::SET_COOKIE,
            crate::cookies::set(
                CSRF_COOKIE,
                &cookie_token,
                None,
                state.config.secure_cookies,
            ),
        );
    }
    let shown = flash.is_some() && ok;
    if shown
        && !headers
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|c| c.as_bytes().starts_with(FLASH_COOKIE.as_bytes()))
    {
        headers.append(header::SET_COOKIE, crate::cookies::clear(FLASH_COOKIE));
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    status: u16,
    message: String,
}

fn error_page(
    lang: &Lang,
    status: StatusCode,
    info: &ErrorInfo,
    path: &str,
    csrf: &str,
) -> Response {
    if status == StatusCode::UNAUTHORIZED {
        return Redirect::to(&format!("/signin?next={}", urlencoding::encode(path)))
            .into_response();
    }
    let mut message = lang.error(info.code);
    if let Some(first) = info.fields.0.first() {
        message = format!(
            "{message} {} {}",
            lang.colon(&field_label(lang, &first.field)),
            lang.field_error(first.code)
        );
    }
    let c = Chrome::anonymous(lang.clone(), csrf.to_owned(), "error-title");
    let mut response = ErrorPage {
        c,
        status: status.as_u16(),
        message,
    }
    .into_response();
    *response.status_mut() = status;
    response
}

/// How a name sorts in a list for readers of `language`: case and the accents of Latin letters
/// aside (`Émirats` with the E's), and the Nordic letters after z in their own order (Norwegian
/// Æ Ø Å, Swedish Å Ä Ö).
fn sort_key(language: &str, name: &str) -> String {
    let nordic: &[char] = match language {
        "nb" => &['æ', 'ø', 'å'],
        "sv" => &['å', 'ä', 'ö'],
        _ => &[],
    };
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match nordic.iter().position(|n| *n == c) {
            // After z: `{`, `|`, `}`.
            Some(i) => char::from(b'{' + i as u8),
            None => fold(c),
        })
        .collect()
}

/// A Latin letter without its accent.
fn fold(c: char) -> char {
    match c {
        'À' | 'Á' | 'Â' | 'Ã' | 'à' | 'á' | 'â' | 'ã' => 'a',
        'Ç' | 'ç' => 'c',
        'È' | 'É' | 'Ê' | 'Ë' | 'è' | 'é' | 'ê' | 'ë' => 'e',
        'Ì' | 'Í' | 'Î' | 'Ï' | 'ì' | 'í' | 'î' | 'ï' => 'i',
        'Ñ' | 'ñ' => 'n',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'ò' | 'ó' | 'ô' | 'õ' => 'o',
        'Ù' | 'Ú' | 'Û' | 'ù' | 'ú' | 'û' => 'u',
        other => other,
    }
}

/// A field a request named (an upload's column, a form's field, `site.city`) as the reader
/// reads it: its label with the code beside for an upload's column (`Serienummer
/// (serial_number)`), the form's label for a form field, the code when there is neither.
pub fn field_label(lang: &Lang, field: &str) -> String {
    let column = format!("column-{field}");
    if lang.has(&column) {
        return format!("{} ({field})", lang.t(&column));
    }
    let plain = field.strip_prefix("site.").unwrap_or(field);
    let label = match plain {
        "name" if field.starts_with("site.") => "label-site-name".to_owned(),
        other => format!("label-{}", other.replace('_', "-")),
    };
    match lang.has(&label) {
        true => lang.t(&label),
        false => field.to_owned(),
    }
}

#[derive(Debug, Clone)]
pub struct Flash(pub Option<String>);

/// What a page handler knows about its request before touching the database.
pub struct Ctx {
    pub lang: Lang,
    pub csrf: String,
    pub flash: Option<String>,
    pub user: Option<SessionUser>,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        let flash = parts.extensions.get::<Flash>().and_then(|f| f.0.clone());
        let MaybePageUser(user) = MaybePageUser::from_request_parts(parts, state).await?;
        // After the session, whose profile language comes first. Times: the profile's zone,
        // else the browser's, else the operator's.
        let browser = browser_time_zone(&parts.headers);
        let zone = user.as_ref().and_then(|u| u.time_zone.clone()).or(browser);
        let lang = crate::lang::current().in_zone_or(zone.as_deref(), state.config.time_zone);
        Ok(Ctx {
            lang,
            csrf,
            flash,
            user,
        })
    }
}

impl Ctx {
    /// The signed-in user, or 401 (which becomes the sign-in page).
    pub fn user(&self) -> AppResult<&SessionUser> {
        self.user.as_ref().ok_or_else(HttpError::unauthorized)
    }

    /// Builds the layout data for a page titled by the message `title`.
    pub async fn chrome(&self, state: &AppState, title: &str) -> AppResult<Chrome> {
        let me = match &self.user {
            Some(user) => Some(onboarding::me(state, user).await?),
            None => None,
        };
        let mut chrome = Chrome::anonymous(self.lang.clone(), self.csrf.clone(), title);
        chrome.flash = self
            .flash
            .as_deref()
            .filter(|f| f.starts_with("flash-"))
            .map(|f| self.lang.t(f));
        chrome.me = me;
        if let Some(user) = &self.user {
            chrome.unread = user.unread;
            chrome.partner =
                supportal_app::partners::own(state, user)
                    .await?
                    .map(|(scope, name)| PartnerNav {
                        company_id: scope.company_id().get(),
                        name,
                        service: scope.programme()
                            == supportal_domain::partner::Programme::ServiceDelivery,
                    });
        }
        Ok(chrome)
    }
}

/// Everything the layout (`base.html`) shows: title, user and tier badge, navigation, flash
/// message, CSRF token and the form errors of a re-rendered form.
pub struct Chrome {
    pub lang: Lang,
    pub csrf: String,
    pub title: String,
    pub flash: Option<String>,
    pub me: Option<Me>,
    pub errors: FieldErrors,
    pub error: Option<String>,
    /// The enrolled partner the reader works for: the partner tenant's navigation (PTN-1).
    pub partner: Option<PartnerNav>,
    /// The reader's unread notifications: the bell's count (NTF-1).
    pub unread: i64,
}

/// The partner tenant in the navigation.
#[derive(Debug, Clone)]
pub struct PartnerNav {
    pub company_id: i64,
    pub name: String,
    /// A service-delivery partner, with a repair queue and claims.
    pub service: bool,
}

impl Chrome {
    /// A time as the reader reads it: in their time zone, which is named.
    pub fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        self.lang.datetime(at)
    }

    /// The reader's time zone (an IANA name), for a time zone field's example.
    pub fn zone_name(&self) -> &'static str {
        self.lang.zone_name().unwrap_or("UTC")
    }

    /// A calendar date as the reader writes it.
    pub fn day(&self, day: &chrono::NaiveDate) -> String {
        self.lang.date(day)
    }

    /// An amount in minor units as the reader writes it.
    pub fn money(&self, minor: &i64, currency: &str) -> String {
        self.lang.money(*minor, currency)
    }
}

impl Chrome {
    fn anonymous(lang: Lang, csrf: String, title: &str) -> Chrome {
        Chrome {
            title: lang.t(title),
            lang,
            csrf,
            flash: None,
            me: None,
            errors: FieldErrors::new(),
            error: None,
            partner: None,
            unread: 0,
        }
    }

    pub fn t(&self, id: &str) -> String {
        self.lang.t(id)
    }

    /// What the bell says to a screen reader: how many notifications are unread.
    pub fn bell_label(&self) -> String {
        self.lang.t1("notices-bell", "count", self.unread)
    }

    /// The message `prefix` + `key`, for values that name a message (`tier-`, `role-`, …).
    pub fn tp(&self, prefix: &str, key: &str) -> String {
        self.lang.t(&format!("{prefix}{key}"))
    }

    /// The status a history event moved to: a parts order's, an onsite visit's or the case's.
    pub fn event_status(&self, kind: &str, to: &str) -> String {
        let prefix = match kind {
            "parts_order_changed" => "parts-status-",
            "service_order_changed" => "service-status-",
            _ => "case-status-",
        };
        self.tp(prefix, to)
    }

    pub fn t1(&self, id: &str, name: &str, value: &str) -> String {
        self.lang.t1(id, name, value)
    }

    pub fn lang_code(&self) -> String {
        self.lang.code()
    }

    /// An agreement's programme: the operator's name for it, or for the agreements pay per
    /// incident creates, the reader's words.
    pub fn programme(&self, programme: &str) -> String {
        match programme == supportal_app::entitlements::purchases::PAY_PER_INCIDENT {
            true => self.t("programme-pay-per-incident"),
            false => programme.to_owned(),
        }
    }

    /// A column of an upload file or a form field as the reader reads it (`field_label`).
    pub fn column(&self, code: &str) -> String {
        field_label(&self.lang, code)
    }

    /// A label before its value, with the colon as the reader's language writes it.
    pub fn colon(&self, label: &str) -> String {
        self.lang.colon(label)
    }

    /// A country's name in the reader's language, by its ISO code (the code itself for one
    /// without a name).
    pub fn country(&self, code: &str) -> String {
        let id = format!("country-{}", code.to_ascii_uppercase());
        match self.lang.has(&id) {
            true => self.lang.t(&id),
            false => code.to_owned(),
        }
    }

    /// Every country as (code, name in the reader's language), by name: what a country field
    /// offers.
    pub fn countries(&self) -> Vec<(&'static str, String)> {
        let mut all: Vec<(&'static str, String)> = supportal_domain::profile::COUNTRIES
            .iter()
            .map(|code| (*code, self.country(code)))
            .collect();
        let language = self.lang.code();
        all.sort_by_cached_key(|(_, name)| sort_key(&language, name));
        all
    }

    /// The languages the switch offers, by code.
    pub fn languages(&self) -> Vec<String> {
        Lang::codes()
    }

    /// The translated error for one field, if the last submission had one.
    pub fn err(&self, field: &str) -> Option<String> {
        self.errors
            .0
            .iter()
            .find(|e| e.field == field)
            .map(|e| self.lang.field_error(e.code))
    }

    pub fn tier(&self) -> Option<Tier> {
        self.me.as_ref().map(|m| m.tier)
    }

    pub fn tier_class(&self) -> &'static str {
        self.tier().map(Tier::as_str).unwrap_or("basic")
    }

    pub fn tier_label(&self) -> String {
        self.t(&format!("tier-{}", self.tier_class()))
    }

    pub fn user_name(&self) -> String {
        self.me.as_ref().map(|m| m.name.clone()).unwrap_or_default()
    }

    pub fn signed_in(&self) -> bool {
        self.me.is_some()
    }

    pub fn is_staff(&self) -> bool {
        self.tier() == Some(Tier::Staff)
    }

    /// Operator admins set up the desk; engineers see no link to it.
    pub fn is_operator_admin(&self) -> bool {
        self.me
            .as_ref()
            .is_some_and(|m| m.staff_role == Some("operator_admin"))
    }

    pub fn company_id(&self) -> Option<i64> {
        self.me
            .as_ref()
            .and_then(|m| m.company())
            .map(|c| c.company_id)
    }

    pub fn company_name(&self) -> String {
        self.me
            .as_ref()
            .and_then(|m| m.company())
            .map(|c| c.company_name.clone())
            .unwrap_or_default()
    }

    pub fn is_company_admin(&self) -> bool {
        self.me.as_ref().is_some_and(Me::is_admin_somewhere)
    }

    pub fn may_request_access(&self) -> bool {
        matches!(self.tier(), Some(Tier::Basic | Tier::Limited))
    }

    /// Marks the form as failed: the whole-form message and the field errors.
    pub fn failed(mut self, e: impl Into<HttpError>) -> AppResult<Chrome> {
        let HttpError(e) = e.into();
        match e.kind {
            Kind::Invalid
            | Kind::Conflict
            | Kind::Throttled
            | Kind::Forbidden
            | Kind::PaymentRequired
                if e.code != "csrf_failed" =>
            {
                self.error = Some(match e.retry_after {
                    Some(secs) => format!(
                        "{} {}",
                        self.lang.error(e.code),
                        self.lang.t1("retry-after", "seconds", secs)
                    ),
                    None => self.lang.error(e.code),
                });
                self.errors = e.fields;
                Ok(self)
            }
            Kind::Unauthenticated if e.code == "invalid_credentials" => {
                self.error = Some(self.lang.error(e.code));
                Ok(self)
            }
            _ => Err(HttpError(e)),
        }
    }
}

/// After a successful POST: back to a page with a flash message (post/redirect/get).
pub fn redirect_flash(to: &str, flash: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        crate::cookies::set(FLASH_COOKIE, flash, Some(60), false),
    );
    response
}

/// A relative `next` target from a query string; anything else goes home.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// Sends a user who has not made the ACC-2 choice to onboarding.
pub fn needs_onboarding(c: &Chrome) -> Option<Response> {
    c.me.as_ref()
        .and_then(|m| m.next_step)
        .map(|_| Redirect::to("/onboarding").into_response())
}

/// The browser's time zone, as `static/tz.js` keeps it in a cookie; none unless it is a real
/// IANA name.
pub fn browser_time_zone(headers: &axum::http::HeaderMap) -> Option<String> {
    crate::cookies::get(headers, crate::lang::ZONE_COOKIE)
        .map(|z| z.replace("%2F", "/"))
        .filter(|z| supportal_domain::profile::is_time_zone(z))
}

#[cfg(test)]
mod tests {
    use super::{safe_next, sort_key};

    #[test]
    fn names_sort_as_their_readers_expect() {
        let sorted = |language: &str, names: &[&'static str]| {
            let mut v: Vec<&str> = names.to_vec();
            v.sort_by_key(|n| sort_key(language, n));
            v
        };
        assert_eq!(
            sorted(
                "fr",
                &["Espagne", "Émirats arabes unis", "Égypte", "Danemark"]
            ),
            ["Danemark", "Égypte", "Émirats arabes unis", "Espagne"]
        );
        assert_eq!(
            sorted("nb", &["Åland", "Østerrike", "Zambia", "Ægypt"]),
            ["Zambia", "Ægypt", "Østerrike", "Åland"]
        );
        assert_eq!(
            sorted("sv", &["Österrike", "Ägypten", "Åland", "Zambia"]),
            ["Zambia", "Åland", "Ägypten", "Österrike"]
        );
    }

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next(Some("/invitations/abc")), "/invitations/abc");
        assert_eq!(safe_next(Some("//evil.test/")), "/");
        assert_eq!(safe_next(Some("https://evil.test/")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
