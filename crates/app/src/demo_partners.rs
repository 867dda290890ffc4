//! The partner part of the demo (PTN-1 to PTN-6): Brightpath Partners enrolled to resell and
//! monitor, Nordlys Service to deliver service; devices reported by a distributor's feed, some
//! unassigned, others on the two customer dashboards (by cPIN and by transfer); alerts, one
//! waiting for its end user's *View*; a repair case on the operator's desk and one in Nordlys's
//! repair queue with a part ordered and a claim waiting for approval.

use crate::context::Context;
use crate::demo_desk::as_user;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::partners::alerts::{self, AlertBody};
use crate::partners::dashboards::{self, AgentBody, EnrollBody, NewDashboardBody};
use crate::partners::repair::RepairBody;
use crate::partners::{self, ProgrammeBody, claims, feed};
use serde_json::json;
use supportal_domain::CompanyId;
use supportal_domain::partner::ClaimPart;
use supportal_store::partners::FeedScope;
use supportal_store::sessions::SessionUser;

/// The *View* token at the end of an alert's link.
fn view_token(receipt: &alerts::Receipt) -> AppResult<String> {
    receipt
        .view_url
        .as_deref()
        .and_then(|u| u.rsplit('/').next())
        .map(str::to_owned)
        .ok_or_else(|| AppError::internal("an end-user alert without a link"))
}

async fn alert(
    ctx: &Context,
    token: &str,
    serial: &str,
    (code, component, severity, message): (&str, &str, &str, &str),
) -> AppResult<alerts::Receipt> {
    let body = AlertBody {
        code: code.into(),
        component: component.into(),
        severity: severity.into(),
        message: message.into(),
    };
    alerts::report(ctx, Some(token), serial, body).await
}

/// Loads the channel; `brightpath` is the demo's partner company, `nordlys` its service partner
/// (made by `demo`, with its admin), `northwind` and `fjordline` the customers.
pub async fn load(
    ctx: &Context,
    brightpath: CompanyId,
    nordlys: CompanyId,
    northwind: CompanyId,
    fjordline: CompanyId,
) -> AppResult<()> {
    let lang = Lang::of_code(&ctx.config.language).unwrap_or_default();
    let ops = as_user(ctx, "admin@operator.test").await?;
    for (company, kind) in [
        (brightpath, "resell_monitor"),
        (nordlys, "service_delivery"),
    ] {
        let body = ProgrammeBody {
            enrolled: true,
            kind: kind.into(),
        };
        partners::set_programme(ctx, &ops, company, body).await?;
    }
    partners::create_feed_token(
        ctx,
        &ops,
        partners::FeedTokenBody {
            name: "Demo distributor (e2Open)".into(),
        },
    )
    .await?;
    let sold = ctx.today(None) - chrono::Duration::days(20);
    let row = |serial: &str, partner: CompanyId, plan: &str| {
        json!({ "serial_number": serial, "sku": "TB-14G5", "service_plan": plan,
                "partner_company_id": partner.get(), "sold_on": sold.to_string(), "reference": "DEMO-SO-1001" })
    };
    let mut rows = Vec::new();
    for i in 1..=6 {
        rows.push(row(&format!("BPD-{i:04}"), brightpath, "premium"));
    }
    for i in 1..=5 {
        rows.push(row(&format!("NLS-{i:04}"), nordlys, "premium_plus"));
    }
    let staff = crate::admin::staff(&ops, true)?;
    let report = feed::report_json(ctx, &lang, &FeedScope::operator(&staff), rows).await?;
    if report.error_count > 0 {
        return Err(AppError::internal("the demo's device feed was refused"));
    }

    let pia = as_user(ctx, "pia@brightpath.test").await?;
    let sven = as_user(ctx, "sven@nordlys.test").await?;
    resell_partner(ctx, &lang, &pia, brightpath, northwind).await?;
    service_partner(ctx, &lang, &sven, nordlys, fjordline).await
}

/// Brightpath: a dashboard for Northwind (a device enrolled by cPIN, one transferred), an
/// unassigned device whose end user Bram has an alert waiting, and a repair case on the
/// operator's desk.
async fn resell_partner(
    ctx: &Context,
    lang: &Lang,
    pia: &SessionUser,
    company: CompanyId,
    customer: CompanyId,
) -> AppResult<()> {
    let scope = partners::scope(ctx, pia, company).await?;
    let dashboard = dashboards::create(
        ctx,
        &scope,
        NewDashboardBody {
            name: "Northwind Robotics".into(),
            customer_company_id: Some(customer.get()),
        },
    )
    .await?;
    dashboards::enroll(
        ctx,
        "demo",
        EnrollBody {
            cpin: dashboard.cpin.clone(),
            serial_number: "BPD-0001".into(),
            device_name: Some("Reception notebook".into()),
        },
    )
    .await?;
    dashboards::transfer(ctx, &scope, dashboard.id, &["BPD-0002".to_owned()]).await?;
    for (serial, user, problem) in [
        (
            "BPD-0004",
            "bram@northwind.test",
            (
                "BAT-042",
                "battery",
                "critical",
                "The battery no longer holds a charge.",
            ),
        ),
        (
            "BPD-0005",
            "carla@northwind.test",
            (
                "FAN-007",
                "fan",
                "warning",
                "The fan runs at full speed at idle.",
            ),
        ),
    ] {
        let token = dashboards::agent_token(
            ctx,
            &scope,
            serial,
            AgentBody {
                end_user_email: Some(user.into()),
            },
        )
        .await?;
        let receipt = alert(ctx, &token, serial, problem).await?;
        // Carla submitted hers; Bram's waits for his View.
        if user.starts_with("carla") {
            let body = RepairBody {
                name: "Carla Smit".into(),
                email: user.into(),
                phone: Some("+31 20 555 0101".into()),
                note: None,
            };
            alerts::submit_by_link(ctx, lang, &view_token(&receipt)?, body).await?;
        }
    }
    Ok(())
}

/// Nordlys: a dashboard for Fjordline with self-service alerts off (an alert on it), and a repair
/// case in its own queue, claimed by Sven, with a battery ordered and a claim waiting.
async fn service_partner(
    ctx: &Context,
    lang: &Lang,
    sven: &SessionUser,
    company: CompanyId,
    customer: CompanyId,
) -> AppResult<()> {
    let scope = partners::scope(ctx, sven, company).await?;
    let dashboard = dashboards::create(
        ctx,
        &scope,
        NewDashboardBody {
            name: "Fjordline Logistics".into(),
            customer_company_id: Some(customer.get()),
        },
    )
    .await?;
    let device_token = dashboards::enroll(
        ctx,
        "demo",
        EnrollBody {
            cpin: dashboard.cpin.clone(),
            serial_number: "NLS-0001".into(),
            device_name: Some("Dispatch desk".into()),
        },
    )
    .await?;
    dashboards::transfer(ctx, &scope, dashboard.id, &["NLS-0002".to_owned()]).await?;
    dashboards::set_alerts(ctx, &scope, dashboard.id, false).await?;
    alert(
        ctx,
        &device_token,
        "NLS-0001",
        (
            "DSK-013",
            "disk",
            "warning",
            "The SSD reports reallocated sectors.",
        ),
    )
    .await?;
    let token = dashboards::agent_token(
        ctx,
        &scope,
        "NLS-0004",
        AgentBody {
            end_user_email: Some("ingrid@fjordline.test".into()),
        },
    )
    .await?;
    let receipt = alert(
        ctx,
        &token,
        "NLS-0004",
        (
            "KBD-002",
            "keyboard",
            "warning",
            "Several keys do not respond.",
        ),
    )
    .await?;
    let body = RepairBody {
        name: "Ingrid Berg".into(),
        email: "ingrid@fjordline.test".into(),
        phone: Some("+47 22 55 01 01".into()),
        note: Some("The keys E, R and T stopped working after a spill.".into()),
    };
    let number = alerts::submit_by_link(ctx, lang, &view_token(&receipt)?, body).await?;
    // Sven works it from his queue with the desk's tools: the case needs his session's queue.
    let sven = as_user(ctx, &sven.email).await?;
    crate::desk::work::assign(
        ctx,
        &sven,
        &number,
        crate::desk::work::AssignBody {
            assignee: Some(json!("me")),
            queue_id: None,
        },
    )
    .await?;
    crate::desk::orders::add_parts(
        ctx,
        &sven,
        &number,
        crate::desk::orders::PartsBody {
            part_number: "KB-NO-14G5".into(),
            description: "Keyboard, Norwegian layout".into(),
            quantity: 1,
            ship_to: None,
        },
    )
    .await?;
    claims::submit(
        ctx,
        &sven,
        &number,
        claims::ClaimBody {
            parts: vec![ClaimPart {
                part_number: "KB-NO-14G5".into(),
                quantity: 1,
                amount: 6_400,
            }],
            labour_minutes: 40,
            labour_amount: 5_000,
            currency: "NOK".into(),
        },
    )
    .await?;
    Ok(())
}
