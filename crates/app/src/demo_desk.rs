//! The desk part of the demo: a second engineer, business-hours calendars for the Benelux and
//! the Nordics, service-level targets, and Northwind cases in every state — new, assigned,
//! waiting on the customer, in progress with a part on its way and a visit booked, resolved,
//! closed, cancelled, and one that breached its response target.

use crate::cases::{self, CaseInput};
use crate::context::{Clock, Context};
use crate::desk::{orders, sla, work};
use crate::error::{AppError, AppResult};
use chrono::Duration;
use serde_json::json;
use supportal_domain::{EmailAddress, UserId};
use supportal_store::accounts;
use supportal_store::sessions::{SessionKind, SessionUser};

/// Signs a demo account in, for the operations that act as a person.
pub(crate) async fn as_user(ctx: &Context, email: &str) -> AppResult<SessionUser> {
    let mut tx = ctx.db.read().await?;
    let email = EmailAddress::parse(email).map_err(AppError::internal)?;
    let user = accounts::find_by_email(&mut tx, &email)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.rollback().await?;
    let token = crate::auth::start_session(ctx, user.id(), SessionKind::Api, "demo").await?;
    crate::auth::session_for(ctx, &token, true)
        .await?
        .ok_or_else(|| AppError::internal("the demo session did not start"))
}

/// Calendars, targets and the second engineer; then the cases.
pub async fn load(ctx: &Context, second_engineer: UserId) -> AppResult<()> {
    let staff = supportal_store::tools::operator();
    let weekdays = |hours: &str| {
        ["mon", "tue", "wed", "thu", "fri"]
            .iter()
            .map(|d| (d.to_string(), vec![hours.to_owned()]))
            .collect()
    };
    let year = ctx.today(None).format("%Y").to_string();
    let benelux = sla::create_calendar(
        ctx,
        &staff,
        sla::CalendarBody {
            name: "Benelux business hours".into(),
            time_zone: "Europe/Amsterdam".into(),
            hours: weekdays("08:00-17:00"),
            holidays: vec![format!("{year}-12-25"), format!("{year}-12-26")],
        },
    )
    .await?;
    sla::create_calendar(
        ctx,
        &staff,
        sla::CalendarBody {
            name: "Nordic business hours".into(),
            time_zone: "Europe/Oslo".into(),
            hours: weekdays("08:00-16:00"),
            holidays: vec![
                format!("{year}-12-24"),
                format!("{year}-12-25"),
                format!("{year}-12-26"),
            ],
        },
    )
    .await?;
    // Round the clock for 4-hour coverage; business hours for the rest.
    let targets: [(&str, i64, i64, i64, bool); 10] = [
        ("4h_24x7_onsite", 1, 30, 240, false),
        ("4h_24x7_onsite", 2, 60, 480, false),
        ("4h_24x7_onsite", 3, 60, 960, false),
        ("4h_24x7_onsite", 4, 240, 2880, false),
        ("nbd_onsite", 2, 120, 960, true),
        ("nbd_onsite", 3, 240, 1440, true),
        ("nbd_onsite", 4, 480, 2880, true),
        ("parts_only", 3, 480, 2880, true),
        ("incident", 2, 60, 960, true),
        ("incident", 3, 240, 1920, true),
    ];
    for (coverage, severity, response, resolution, business) in targets {
        let body = sla::SlaBody {
            coverage: coverage.into(),
            severity,
            response_minutes: response,
            resolution_minutes: resolution,
            calendar_id: business.then_some(benelux.get()),
        };
        sla::put_sla(ctx, &staff, body).await?;
    }
    let mut tx = ctx.db.begin().await?;
    let queues = supportal_store::desk::queues(&mut tx, &staff).await?;
    for q in &queues {
        if q.name != "Servers" {
            supportal_store::desk::add_engineer(&mut tx, q.id, second_engineer).await?;
        }
    }
    tx.commit().await?;
    cases_in_every_state(ctx).await
}

fn case(serial: &str, title: &str, description: &str, severity: i64) -> AppResult<CaseInput> {
    serde_json::from_value(json!({
        "serial_number": serial, "title": title, "description": description, "severity": severity
    }))
    .map_err(AppError::internal)
}

async fn cases_in_every_state(ctx: &Context) -> AppResult<()> {
    let anna = as_user(ctx, "anna.admin@northwind.test").await?;
    let erik = as_user(ctx, "engineer@operator.test").await?;
    let open = |input: CaseInput| {
        let anna = anna.clone();
        async move { cases::create(ctx, &anna, input, Vec::new(), None).await }
    };
    let status = |number: String, to: &'static str, code: Option<&'static str>| {
        let erik = erik.clone();
        async move {
            let body = work::StatusBody {
                status: to.into(),
                resolution_code: code.map(str::to_owned),
            };
            work::set_status(ctx, &erik, &number, body).await
        }
    };
    let claim = work::AssignBody {
        assignee: Some(json!("me")),
        queue_id: None,
    };
    let reply = |text: &str, internal: bool| work::ReplyBody {
        body: text.into(),
        internal,
    };

    // New: nobody has looked yet.
    open(case(
        "NWR-SRV-0001",
        "Fan noise on the web server",
        "The fans run at full speed since this morning.",
        3,
    )?)
    .await?;

    // Waiting on the customer.
    let c = open(case(
        "NWR-SRV-0001",
        "Disk errors in the RAID log",
        "The controller reports predictive failures on bay 2.",
        2,
    )?)
    .await?;
    work::assign(ctx, &erik, &c.case_id, claim.clone()).await?;
    work::reply(
        ctx,
        &erik,
        &c.case_id,
        reply(
            "Could you send the controller log (Storage > Export log)?",
            false,
        ),
    )
    .await?;
    status(c.case_id.clone(), "waiting_on_customer", None).await?;

    // In progress, with a part shipped and a visit booked.
    let c = open(case(
        "NWR-SRV-0001",
        "Power supply failed",
        "PSU 1 shows an amber light; the server runs on PSU 2.",
        2,
    )?)
    .await?;
    work::assign(ctx, &erik, &c.case_id, claim.clone()).await?;
    work::reply(
        ctx,
        &erik,
        &c.case_id,
        reply(
            "Redundant PSU confirmed faulty from the telemetry; no data risk.",
            true,
        ),
    )
    .await?;
    work::reply(
        ctx,
        &erik,
        &c.case_id,
        reply(
            "We are sending a replacement power supply and an engineer to fit it.",
            false,
        ),
    )
    .await?;
    status(c.case_id.clone(), "in_progress", None).await?;
    let parts = orders::PartsBody {
        part_number: "PSU-750W-R740".into(),
        description: "750 W hot-plug power supply".into(),
        quantity: 1,
        ship_to: None,
    };
    let d = orders::add_parts(ctx, &erik, &c.case_id, parts).await?;
    if let Some(order) = d.parts_orders.first() {
        let shipped = orders::PartsPatch {
            status: "shipped".into(),
            carrier: Some("DHL Express".into()),
            tracking: Some("JD014600003828".into()),
        };
        orders::update_parts(ctx, &erik, &c.case_id, order.id.get(), shipped).await?;
    }
    let start = ctx.now() + Duration::days(1);
    let visit = orders::ServiceBody {
        window_start: Some(start),
        window_end: Some(start + Duration::hours(4)),
        engineer: "Sanne de Vries".into(),
    };
    orders::add_service(ctx, &erik, &c.case_id, visit).await?;

    // Resolved, and closed.
    let c = open(case(
        "NWR-NB-0101",
        "Keyboard keys stick",
        "Several keys on the left side stick.",
        4,
    )?)
    .await?;
    work::assign(ctx, &erik, &c.case_id, claim.clone()).await?;
    status(c.case_id.clone(), "resolved", Some("part_replaced")).await?;
    let c = open(case(
        "NWR-NB-0102",
        "Battery drains overnight",
        "The notebook loses 40% overnight when closed.",
        4,
    )?)
    .await?;
    work::assign(ctx, &erik, &c.case_id, claim.clone()).await?;
    status(c.case_id.clone(), "resolved", Some("workaround")).await?;
    status(c.case_id.clone(), "closed", None).await?;

    // Cancelled by the customer.
    let c = open(case(
        "NWR-NB-0101",
        "Screen flickers",
        "The screen flickers on battery.",
        4,
    )?)
    .await?;
    cases::act(
        ctx,
        &anna,
        &c.case_id,
        supportal_domain::case::CustomerAction::Cancel,
    )
    .await?;

    // Opened three hours ago and not answered: past its response target.
    let mut earlier = ctx.clone();
    earlier.clock = Clock::default();
    earlier.clock.advance(-Duration::hours(3));
    let input = case(
        "NWR-SRV-0001",
        "Server does not boot after update",
        "After the BIOS update the server stops at the logo.",
        1,
    )?;
    cases::create(&earlier, &anna, input, Vec::new(), None).await?;
    sla::sweep(ctx).await?;
    Ok(())
}
