//! Case pages: the lists of CAS-11 with sorting and paging, and the case page of CAS-9 with the
//! updates of CAS-10. Opening a case in the browser (the step-by-step form) comes next.

use super::{CaseDetail, Page};
use crate::auth::PageUser;
use crate::error::AppError;
use crate::error::AppResult;
use crate::forms::{ApiPath, Form, MultipartForm};
use crate::pages::{Chrome, Ctx, redirect_flash};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use supportal_domain::case::CustomerAction;
use supportal_domain::{AttachmentId, ProductId};
use supportal_store::cases::{ListQuery, View};

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(super::form::routes())
        .merge(super::bulk_pages::routes())
        .merge(super::suggest::routes())
        .route("/cases", get(list_page))
        .route("/cases/export.xlsx", get(export_page))
        .route("/cases/{case_id}", get(case_page))
        .route("/cases/{case_id}/messages", post(message))
        .route("/cases/{case_id}/actions", post(action))
        .route("/cases/{case_id}/favorite", post(favorite))
        .route("/cases/{case_id}/contacts", post(add_contact))
        .route("/cases/{case_id}/contacts/remove", post(remove_contact))
        .route(
            "/cases/{case_id}/attachments",
            post(attach).layer(DefaultBodyLimit::max(super::api::MAX_CASE_BODY_BYTES)),
        )
        .route(
            "/cases/{case_id}/attachments/{attachment_id}",
            get(download),
        )
}

#[derive(Deserialize, Default)]
struct ListParams {
    /// CAS-8: a case ID typed into the search box.
    find: Option<String>,
    view: Option<String>,
    sort: Option<String>,
    mine: Option<String>,
    serial: Option<String>,
    /// The site of the "by site" view, and the product filter (select values; empty: none).
    site_id: Option<String>,
    product_id: Option<String>,
    cursor: Option<i64>,
}

/// A select's value as an id; empty means no choice.
fn chosen(value: &Option<String>) -> Option<i64> {
    value.as_deref().and_then(|v| v.trim().parse().ok())
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/list.html")]
struct ListPage {
    c: Chrome,
    view: String,
    sort: String,
    mine: bool,
    serial: String,
    /// The site shown in the "by site" view and the product filter, as select values.
    site_id: String,
    product_id: String,
    sites: Vec<supportal_store::companies::SiteRow>,
    products: Vec<supportal_store::catalog::ProductRow>,
    page: Page,
    offset: i64,
    limit: i64,
}

const VIEWS: [&str; 7] = [
    "recent",
    "company",
    "site",
    "submitted_by_me",
    "favorites",
    "parts_orders",
    "service_orders",
];
const PAGE_SIZE: i64 = 25;

impl ListPage {
    fn views(&self) -> [&'static str; 7] {
        VIEWS
    }

    /// The link for a view, keeping the other choices.
    fn link(&self, view: &str, sort: &str, cursor: i64) -> String {
        let mut link = format!("/cases?view={view}&sort={sort}");
        if self.mine {
            link.push_str("&mine=on");
        }
        if !self.serial.is_empty() {
            link.push_str(&format!("&serial={}", urlencoding::encode(&self.serial)));
        }
        if view == "site" && !self.site_id.is_empty() {
            link.push_str(&format!("&site_id={}", urlencoding::encode(&self.site_id)));
        }
        if !self.product_id.is_empty() {
            link.push_str(&format!(
                "&product_id={}",
                urlencoding::encode(&self.product_id)
            ));
        }
        if cursor > 0 {
            link.push_str(&format!("&cursor={cursor}"));
        }
        link
    }

    /// Sorting by `column`: ascending first, then the other way.
    fn sort_link(&self, column: &str) -> String {
        let next = if self.sort == column {
            format!("-{column}")
        } else {
            column.to_owned()
        };
        self.link(&self.view, &next, 0)
    }

    fn arrow(&self, column: &str) -> &'static str {
        if self.sort == column {
            "▲"
        } else if self.sort.strip_prefix('-') == Some(column) {
            "▼"
        } else {
            ""
        }
    }
}

async fn list_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    if let Some(find) = p
        .find
        .as_deref()
        .map(|f| f.trim().replace([' ', '-'], ""))
        .filter(|f| !f.is_empty())
    {
        return match super::detail(&state, &user, &find).await {
            Ok(d) => {
                Ok(axum::response::Redirect::to(&format!("/cases/{}", d.case_id)).into_response())
            }
            Err(e) if e.kind == crate::error::Kind::NotFound => {
                let mut c = ctx.chrome(&state, "cases-title").await?;
                c.error = Some(c.lang.error(e.code));
                let page = Page {
                    items: Vec::new(),
                    next_cursor: None,
                };
                let sort = "-updated_at".to_owned();
                Ok(ListPage {
                    c,
                    view: "recent".into(),
                    sort,
                    mine: false,
                    serial: String::new(),
                    site_id: String::new(),
                    product_id: String::new(),
                    sites: Vec::new(),
                    products: Vec::new(),
                    page,
                    offset: 0,
                    limit: PAGE_SIZE,
                }
                .into_response())
            }
            Err(e) => Err(e.into()),
        };
    }
    let query = page_query(&state, &user, &p).await?;
    let view_name = p
        .view
        .filter(|v| VIEWS.contains(&v.as_str()))
        .unwrap_or_else(|| "recent".into());
    let sort = p.sort.unwrap_or_else(|| "-updated_at".into());
    let (mine, serial, offset) = (query.only_mine, p.serial.unwrap_or_default(), query.offset);
    let site_id = match query.view {
        View::Site(id) => id.to_string(),
        _ => String::new(),
    };
    let product_id = query
        .product_id
        .map(|id| id.to_string())
        .unwrap_or_default();
    let page = super::list(&state, &user, query).await?;
    let (sites, products) = filter_choices(&state, &user).await?;
    let c = ctx.chrome(&state, "cases-title").await?;
    Ok(ListPage {
        c,
        view: view_name,
        sort,
        mine,
        serial,
        site_id,
        product_id,
        sites,
        products,
        page,
        offset,
        limit: PAGE_SIZE,
    }
    .into_response())
}

#[derive(Deserialize, Default)]
struct CaseParams {
    expand: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/detail.html")]
struct CasePage {
    c: Chrome,
    d: CaseDetail,
    expand_all: bool,
    /// The desk's choices, for operator staff.
    desk: Option<supportal_app::desk::work::Choices>,
    /// For the desk: the knowledge articles read while the case was written.
    read_before: Vec<(i64, String)>,
}

impl CasePage {
    /// The status moves the desk may make from here (CAS-14).
    fn desk_moves(&self) -> Vec<&'static str> {
        use supportal_domain::case::{CaseStatus, desk_move};
        let Some(from) = CaseStatus::parse(&self.d.case.status) else {
            return Vec::new();
        };
        [
            CaseStatus::Assigned,
            CaseStatus::InProgress,
            CaseStatus::WaitingOnCustomer,
            CaseStatus::Resolved,
            CaseStatus::Closed,
            CaseStatus::Cancelled,
        ]
        .into_iter()
        .filter(|to| desk_move(from, *to).is_ok())
        .map(CaseStatus::as_str)
        .collect()
    }

    fn resolution_codes(&self) -> &'static [&'static str] {
        &supportal_domain::desk::RESOLUTION_CODES
    }

    /// The next statuses of a parts order.
    fn parts_moves(&self, status: &str) -> Vec<&'static str> {
        use supportal_domain::desk::PartsStatus;
        match PartsStatus::parse(status) {
            Some(from) => PartsStatus::ALL
                .into_iter()
                .filter(|to| from.may_become(*to))
                .map(PartsStatus::as_str)
                .collect(),
            None => Vec::new(),
        }
    }

    fn reopenable(&self) -> bool {
        matches!(self.d.case.status.as_str(), "resolved" | "closed")
    }

    fn open(&self) -> bool {
        !matches!(
            self.d.case.status.as_str(),
            "resolved" | "closed" | "cancelled"
        )
    }
}

pub(crate) async fn render_case(
    state: &AppState,
    ctx: &Ctx,
    user: &supportal_store::sessions::SessionUser,
    number: &str,
    expand_all: bool,
    failure: Option<AppError>,
) -> AppResult<Response> {
    let d = super::detail(state, user, number).await?;
    let mut c = ctx.chrome(state, "case-title").await?;
    if let Some(e) = failure {
        c = c.failed(e)?;
    }
    let (desk, read_before) = match d.staff_view {
        true => (
            Some(supportal_app::desk::work::choices(state, user).await?),
            match user.staff_role() {
                Some(_) => supportal_app::knowledge::read_before(state, user, number).await?,
                None => Vec::new(),
            },
        ),
        false => (None, Vec::new()),
    };
    Ok(CasePage {
        c,
        d,
        expand_all,
        desk,
        read_before,
    }
    .into_response())
}

async fn case_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(number): ApiPath<String>,
    Query(p): Query<CaseParams>,
) -> AppResult<Response> {
    render_case(
        &state,
        &ctx,
        &user,
        &number,
        p.expand.as_deref() == Some("all"),
        None,
    )
    .await
}

pub(crate) fn back(number: &str, flash: &str) -> Response {
    redirect_flash(&format!("/cases/{number}"), flash)
}

#[derive(Deserialize)]
struct MessageForm {
    #[serde(default)]
    body: String,
}

async fn message(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(number): ApiPath<String>,
    Form(f): Form<MessageForm>,
) -> AppResult<Response> {
    match super::message(&state, &user, &number, &f.body).await {
        Ok(_) => Ok(back(&number, "flash-case-message")),
        Err(e) => render_case(&state, &ctx, &user, &number, false, Some(e)).await,
    }
}

#[derive(Deserialize)]
struct ActionForm {
    #[serde(default)]
    action: String,
}

async fn action(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(number): ApiPath<String>,
    Form(f): Form<ActionForm>,
) -> AppResult<Response> {
    let result = match CustomerAction::parse(&f.action) {
        Some(action) => super::act(&state, &user, &number, action).await,
        None => Err(AppError::field("action", "invalid_choice")),
    };
    match result {
        Ok(_) => Ok(back(&number, "flash-case-updated")),
        Err(e) => render_case(&state, &ctx, &user, &number, false, Some(e)).await,
    }
}

#[derive(Deserialize)]
struct FavoriteForm {
    #[serde(default)]
    on: String,
}

async fn favorite(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ApiPath(number): ApiPath<String>,
    Form(f): Form<FavoriteForm>,
) -> AppResult<Response> {
    super::favorite(&state, &user, &number, f.on == "1").await?;
    Ok(back(&number, "flash-case-updated"))
}

#[derive(Deserialize)]
struct ContactForm {
    #[serde(default)]
    email: String,
}

async fn add_contact(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(number): ApiPath<String>,
    Form(f): Form<ContactForm>,
) -> AppResult<Response> {
    match super::contact(&state, &user, &number, &f.email, true).await {
        Ok(_) => Ok(back(&number, "flash-case-updated")),
        Err(e) => render_case(&state, &ctx, &user, &number, false, Some(e)).await,
    }
}

async fn remove_contact(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(number): ApiPath<String>,
    Form(f): Form<ContactForm>,
) -> AppResult<Response> {
    match super::contact(&state, &user, &number, &f.email, false).await {
        Ok(_) => Ok(back(&number, "flash-case-updated")),
        Err(e) => render_case(&state, &ctx, &user, &number, false, Some(e)).await,
    }
}

async fn attach(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(number): ApiPath<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> AppResult<Response> {
    let form = MultipartForm::read_page(&headers, multipart, &["attachment"]).await?;
    let result = match form.files.into_iter().next() {
        Some(file) => super::attachments::add(&state, &user, &number, file.into()).await,
        None => Err(AppError::field("attachment", "required")),
    };
    match result {
        Ok(_) => Ok(back(&number, "flash-case-file-added")),
        Err(e) => render_case(&state, &ctx, &user, &number, false, Some(e)).await,
    }
}

async fn download(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ApiPath((number, id)): ApiPath<(String, i64)>,
) -> AppResult<Response> {
    let (bytes, content_type, name) =
        super::attachments::download(&state, &user, &number, AttachmentId(id)).await?;
    Ok(super::download::download_response(
        bytes,
        content_type,
        &name,
    ))
}

/// The query a list page (or its export) asks for.
async fn page_query(
    state: &AppState,
    user: &supportal_store::sessions::SessionUser,
    p: &ListParams,
) -> AppResult<ListQuery> {
    let view = match p.view.as_deref().unwrap_or("recent") {
        "company" => match crate::entitlements::own_company(state, user).await? {
            Some(scope) => View::Company(scope.company_id().get()),
            None => View::Recent,
        },
        // By site: the chosen site, else the company's first.
        "site" => match chosen(&p.site_id) {
            Some(id) => View::Site(id),
            None => match filter_choices(state, user).await?.0.first() {
                Some(site) => View::Site(site.id),
                None => View::Recent,
            },
        },
        "submitted_by_me" => View::SubmittedByMe,
        "favorites" => View::Favorites,
        "parts_orders" => View::PartsOrders,
        "service_orders" => View::ServiceOrders,
        _ => View::Recent,
    };
    Ok(ListQuery {
        view,
        serial: super::parse_serial(p.serial.as_deref())?,
        product_id: chosen(&p.product_id).map(ProductId),
        only_mine: p.mine.as_deref().is_some_and(|m| !m.is_empty()),
        sort: super::parse_sort(p.sort.as_deref())?,
        limit: PAGE_SIZE,
        offset: p.cursor.unwrap_or(0).max(0),
    })
}

/// The company's sites and the catalog's products, for the list filters.
async fn filter_choices(
    state: &AppState,
    user: &supportal_store::sessions::SessionUser,
) -> AppResult<(
    Vec<supportal_store::companies::SiteRow>,
    Vec<supportal_store::catalog::ProductRow>,
)> {
    let scope = crate::entitlements::own_company(state, user).await?;
    let mut tx = state.db.read().await?;
    let sites = match &scope {
        Some(scope) => supportal_store::companies::sites(&mut tx, scope).await?,
        None => Vec::new(),
    };
    let products = supportal_store::catalog::search(&mut tx, "", 500).await?;
    tx.rollback().await?;
    Ok((sites, products))
}

/// *Export to Excel* of the list as it is shown.
async fn export_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    let query = page_query(&state, &user, &p).await?;
    let bytes = super::export::xlsx(&state, &ctx.lang, &user, query).await?;
    Ok(super::download::export_response(bytes))
}
