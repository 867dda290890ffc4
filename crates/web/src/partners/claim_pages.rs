//! A service-delivery partner's repair queue and reimbursement claims in the pages (PTN-5): the
//! cases of its queue, its claims with their decisions, and the claim form.

use super::pages::scope_of;
use crate::auth::PageUser;
use crate::error::{AppError, AppResult};
use crate::forms::Form;
use crate::pages::{Chrome, Ctx, redirect_flash};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use supportal_app::desk::work::{self, DeskParams};
use supportal_app::partners::claims::{self, ClaimBody};
use supportal_domain::partner::ClaimPart;
use supportal_store::cases::CaseRow;
use supportal_store::partners::PartnerScope;
use supportal_store::partners::claims::ClaimRow;
use supportal_store::sessions::SessionUser;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/partner/{company_id}/cases", get(cases_page))
        .route(
            "/partner/{company_id}/claims",
            get(claims_page).post(submit_claim),
        )
}

#[derive(Template, WebTemplate)]
#[template(path = "partners/cases.html")]
struct CasesPage {
    c: Chrome,
    items: Vec<CaseRow>,
}

async fn cases_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    axum::extract::Path(company): axum::extract::Path<i64>,
) -> AppResult<Response> {
    scope_of(&state, &user, company).await?;
    let queue = user
        .repair_queue()
        .ok_or_else(|| AppError::forbidden("service_partner_required"))?;
    let c = ctx.chrome(&state, "partner-cases-title").await?;
    let params = DeskParams {
        queue_id: Some(queue),
        limit: Some(200),
        ..DeskParams::default()
    };
    let page = work::list(&state, &user, &params).await?;
    Ok(CasesPage {
        c,
        items: page.items,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "partners/claims.html")]
struct ClaimsPage {
    c: Chrome,
    company: i64,
    claims: Vec<ClaimRow>,
    cases: Vec<CaseRow>,
    f: ClaimForm,
}

impl ClaimsPage {
    fn parts_of(&self, claim: &ClaimRow) -> Vec<ClaimPart> {
        serde_json::from_str(&claim.parts).unwrap_or_default()
    }
}

/// The claim form: a case of the queue, three part lines, labour, currency; amounts as people
/// type them (`89.00`, `89,00`).
#[derive(Deserialize, Default, Clone)]
struct ClaimForm {
    #[serde(default)]
    case_id: String,
    #[serde(default)]
    part1: String,
    #[serde(default)]
    qty1: String,
    #[serde(default)]
    amount1: String,
    #[serde(default)]
    part2: String,
    #[serde(default)]
    qty2: String,
    #[serde(default)]
    amount2: String,
    #[serde(default)]
    labour_minutes: String,
    #[serde(default)]
    labour_amount: String,
    #[serde(default)]
    currency: String,
}

/// An amount as typed, in minor units; `-1` (out of range) when it cannot be read.
fn minor_units(text: &str) -> i64 {
    let t = text.trim().replace([' ', '\u{a0}'], "").replace(',', ".");
    if t.is_empty() {
        return 0;
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..1e9).contains(&v) => (v * 100.0).round() as i64,
        _ => -1,
    }
}

fn number(text: &str) -> i64 {
    match text.trim() {
        "" => 0,
        t => t.parse().unwrap_or(-1),
    }
}

impl ClaimForm {
    fn body(&self) -> ClaimBody {
        let mut parts = Vec::new();
        for (p, q, a) in [
            (&self.part1, &self.qty1, &self.amount1),
            (&self.part2, &self.qty2, &self.amount2),
        ] {
            if !p.trim().is_empty() {
                parts.push(ClaimPart {
                    part_number: p.clone(),
                    quantity: number(q),
                    amount: minor_units(a),
                });
            }
        }
        ClaimBody {
            parts,
            labour_minutes: number(&self.labour_minutes),
            labour_amount: minor_units(&self.labour_amount),
            currency: self.currency.clone(),
        }
    }
}

async fn render_claims(
    state: &AppState,
    c: Chrome,
    user: &SessionUser,
    scope: &PartnerScope,
    f: ClaimForm,
) -> AppResult<Response> {
    // The queue's open cases and those resolved: a repair is usually claimed once done.
    let mut cases = Vec::new();
    if let Some(queue) = user.repair_queue() {
        for status in [None, Some("resolved".to_owned())] {
            let params = DeskParams {
                queue_id: Some(queue),
                status,
                limit: Some(200),
                ..DeskParams::default()
            };
            cases.extend(work::list(state, user, &params).await?.items);
        }
    }
    Ok(ClaimsPage {
        c,
        company: scope.company_id().get(),
        claims: claims::of_partner(state, scope).await?,
        cases,
        f,
    }
    .into_response())
}

async fn claims_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    axum::extract::Path(company): axum::extract::Path<i64>,
) -> AppResult<Response> {
    let scope = scope_of(&state, &user, company).await?;
    let c = ctx.chrome(&state, "partner-claims-title").await?;
    let f = ClaimForm {
        currency: "EUR".into(),
        ..ClaimForm::default()
    };
    render_claims(&state, c, &user, &scope, f).await
}

async fn submit_claim(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    axum::extract::Path(company): axum::extract::Path<i64>,
    Form(f): Form<ClaimForm>,
) -> AppResult<Response> {
    let scope = scope_of(&state, &user, company).await?;
    let outcome = match f.case_id.trim() {
        "" => Err(AppError::field("case_id", "required")),
        number => claims::submit(&state, &user, number, f.body()).await,
    };
    match outcome {
        Ok(_) => Ok(redirect_flash(
            &format!("/partner/{company}/claims"),
            "flash-claim-sent",
        )),
        Err(e) => {
            let c = ctx
                .chrome(&state, "partner-claims-title")
                .await?
                .failed(e)?;
            render_claims(&state, c, &user, &scope, f).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::minor_units;

    #[test]
    fn amounts_read_as_typed() {
        assert_eq!(minor_units("89.00"), 8_900);
        assert_eq!(minor_units("89,5"), 8_950);
        assert_eq!(minor_units("1 250,00"), 125_000);
        assert_eq!(minor_units(""), 0);
        assert_eq!(minor_units("abc"), -1);
        assert_eq!(minor_units("-3"), -1);
    }
}
