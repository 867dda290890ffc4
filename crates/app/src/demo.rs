//! The demo data set for `serve --demo`: an operator with staff, customer companies with sites,
//! PINs and users, companies that share a domain, a pending company, a partner company and an
//! open account-access request. Invented names, `.test` domains.

use crate::context::Context;
use crate::error::AppResult;
use supportal_domain::profile::{ContactMethod, Profile};
use supportal_domain::{
    AccessChoice, CompanyKind, CompanyStatus, EmailAddress, Role, StaffRole, UserId,
};
use supportal_store::companies::{self, NewCompany, SiteInput};
use supportal_store::{Tx, accounts, members, profiles, requests};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "supportal-demo";

pub use crate::demo_intro::{DemoLogin, HINTS, LOGINS, introduction};

/// The desk: a default queue, and servers and Norway routed to queues of their own.
async fn desk_setup(
    tx: &mut Tx,
    staff: &supportal_store::StaffScope,
    engineer: UserId,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    use supportal_domain::routing::When;
    use supportal_store::desk::{self, NewQueue};
    let queue = |name: &'static str, language: Option<&'static str>, is_default: bool| NewQueue {
        name,
        language,
        is_default,
        engineers: std::slice::from_ref(&engineer),
    };
    desk::create_queue(tx, staff, &queue("General support", None, true), now).await?;
    let servers = desk::create_queue(tx, staff, &queue("Servers", None, false), now).await?;
    let norway = desk::create_queue(tx, staff, &queue("Norway", Some("nb"), false), now).await?;
    let country = When {
        country: Some("NO".into()),
        ..When::default()
    };
    desk::create_rule(tx, staff, 10, norway, &country, now).await?;
    let line = When {
        product_line: Some("Servers".into()),
        ..When::default()
    };
    desk::create_rule(tx, staff, 20, servers, &line, now).await?;
    Ok(())
}

async fn user(
    tx: &mut Tx,
    hash: &str,
    now: chrono::DateTime<chrono::Utc>,
    email: &str,
    name: &str,
    choice: Option<AccessChoice>,
) -> AppResult<UserId> {
    let email = EmailAddress::parse(email).map_err(crate::error::AppError::internal)?;
    let id = accounts::create(tx, &email, name, hash, None, now).await?;
    accounts::mark_verified(tx, id, now).await?;
    if let Some(choice) = choice {
        accounts::set_access_choice(tx, id, choice).await?;
    }
    Ok(id)
}

/// Loads the demo when the database has no users yet; returns whether it did.
pub async fn load_if_empty(ctx: &Context) -> AppResult<bool> {
    let mut tx = ctx.db.begin().await?;
    if supportal_store::tools::count_rows(&mut tx, "users").await? > 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    let hash = crate::auth::hash_password(DEMO_PASSWORD.to_owned()).await?;
    let now = ctx.now();
    let staff = supportal_store::tools::operator();
    let op_admin = user(
        &mut tx,
        &hash,
        now,
        "admin@operator.test",
        "Olga Operator",
        None,
    )
    .await?;
    accounts::set_staff_role(&mut tx, op_admin, StaffRole::OperatorAdmin).await?;
    let engineer = user(
        &mut tx,
        &hash,
        now,
        "engineer@operator.test",
        "Erik Engineer",
        None,
    )
    .await?;
    accounts::set_staff_role(&mut tx, engineer, StaffRole::Engineer).await?;
    desk_setup(&mut tx, &staff, engineer, now).await?;
    let nora = user(
        &mut tx,
        &hash,
        now,
        "nora@operator.test",
        "Nora Nordby",
        None,
    )
    .await?;
    accounts::set_staff_role(&mut tx, nora, StaffRole::Engineer).await?;

    let site =
        |name: &str, street: &str, postal: &str, city: &str, country: &str, primary: bool| {
            SiteInput {
                name: name.into(),
                street: street.into(),
                postal_code: postal.into(),
                city: city.into(),
                country: country.into(),
                is_primary: primary,
            }
        };
    let company = |name: &'static str, kind: CompanyKind, status: CompanyStatus| NewCompany {
        name,
        kind,
        status,
        address: "",
        serial_hint: None,
    };

    let northwind = companies::create(
        &mut tx,
        &staff,
        company(
            "Northwind Robotics",
            CompanyKind::Customer,
            CompanyStatus::Validated,
        ),
        now,
    )
    .await?;
    companies::add_domain(&mut tx, &staff, northwind, "northwind.test").await?;
    companies::add_pin(
        &mut tx,
        &staff,
        northwind,
        "NWR-GOLD",
        "Gold support contract",
    )
    .await?;
    companies::add_pin(&mut tx, &staff, northwind, "NWR-LAB", "Lab equipment").await?;
    let nw_hq = companies::create_site_as_staff(
        &mut tx,
        &staff,
        northwind,
        &site(
            "Amsterdam HQ",
            "Keizersgracht 100",
            "1015 AA",
            "Amsterdam",
            "NL",
            true,
        ),
    )
    .await?;
    companies::create_site_as_staff(
        &mut tx,
        &staff,
        northwind,
        &site(
            "Rotterdam Plant",
            "Havenweg 12",
            "3011 AB",
            "Rotterdam",
            "NL",
            false,
        ),
    )
    .await?;
    let anna = user(
        &mut tx,
        &hash,
        now,
        "anna.admin@northwind.test",
        "Anna de Vries",
        Some(AccessChoice::Enterprise),
    )
    .await?;
    members::put(&mut tx, northwind, anna, Role::Admin, now).await?;
    for (email, name) in [
        ("bram@northwind.test", "Bram Jansen"),
        ("carla@northwind.test", "Carla Smit"),
    ] {
        let id = user(
            &mut tx,
            &hash,
            now,
            email,
            name,
            Some(AccessChoice::Enterprise),
        )
        .await?;
        members::put(&mut tx, northwind, id, Role::Member, now).await?;
    }
    let pins = companies::pins(&mut tx, &staff.company(northwind)).await?;
    let profile = Profile {
        phone: "+31 20 555 0100".into(),
        contact_method: ContactMethod::Email,
        language: "en".into(),
        time_zone: "Europe/Amsterdam".into(),
        country: "NL".into(),
        site_id: Some(nw_hq.get()),
        default_pin_id: pins.first().map(|p| p.id),
        notify: true,
    };
    profiles::put(&mut tx, anna, &profile, now).await?;

    let fjordline = companies::create(
        &mut tx,
        &staff,
        company(
            "Fjordline Logistics",
            CompanyKind::Customer,
            CompanyStatus::Validated,
        ),
        now,
    )
    .await?;
    companies::add_domain(&mut tx, &staff, fjordline, "fjordline.test").await?;
    companies::add_pin(
        &mut tx,
        &staff,
        fjordline,
        "FJL-24X7",
        "Critical 24x7 handling",
    )
    .await?;
    companies::create_site_as_staff(
        &mut tx,
        &staff,
        fjordline,
        &site("Oslo Terminal", "Havnegata 5", "0150", "Oslo", "NO", true),
    )
    .await?;
    companies::create_site_as_staff(
        &mut tx,
        &staff,
        fjordline,
        &site("Bergen Depot", "Bryggen 9", "5003", "Bergen", "NO", false),
    )
    .await?;
    let ingrid = user(
        &mut tx,
        &hash,
        now,
        "ingrid@fjordline.test",
        "Ingrid Hansen",
        Some(AccessChoice::Enterprise),
    )
    .await?;
    members::put(&mut tx, fjordline, ingrid, Role::Admin, now).await?;
    let lars = user(
        &mut tx,
        &hash,
        now,
        "lars@fjordline.test",
        "Lars Berg",
        Some(AccessChoice::Enterprise),
    )
    .await?;
    members::put(&mut tx, fjordline, lars, Role::Member, now).await?;

    // Two organisations on one domain: a new registrant picks one (ACC-3 "several").
    for (name, city, country, admin_email, admin_name) in [
        (
            "Contoso Retail Benelux",
            "Utrecht",
            "NL",
            "nora@contoso-retail.test",
            "Nora Bakker",
        ),
        (
            "Contoso Retail Nordics",
            "Stockholm",
            "SE",
            "sven@contoso-retail.test",
            "Sven Lind",
        ),
    ] {
        let id = companies::create(
            &mut tx,
            &staff,
            company(name, CompanyKind::Customer, CompanyStatus::Validated),
            now,
        )
        .await?;
        companies::add_domain(&mut tx, &staff, id, "contoso-retail.test").await?;
        companies::create_site_as_staff(
            &mut tx,
            &staff,
            id,
            &site("Head office", "Main street 1", "1000", city, country, true),
        )
        .await?;
        let admin = user(
            &mut tx,
            &hash,
            now,
            admin_email,
            admin_name,
            Some(AccessChoice::Enterprise),
        )
        .await?;
        members::put(&mut tx, id, admin, Role::Admin, now).await?;
    }

    let brightpath = companies::create(
        &mut tx,
        &staff,
        company(
            "Brightpath Partners",
            CompanyKind::PartnerResellMonitor,
            CompanyStatus::Validated,
        ),
        now,
    )
    .await?;
    companies::add_domain(&mut tx, &staff, brightpath, "brightpath.test").await?;
    companies::create_site_as_staff(
        &mut tx,
        &staff,
        brightpath,
        &site(
            "Lyon office",
            "Rue de la République 20",
            "69002",
            "Lyon",
            "FR",
            true,
        ),
    )
    .await?;
    let pia = user(
        &mut tx,
        &hash,
        now,
        "pia@brightpath.test",
        "Pia Moreau",
        Some(AccessChoice::Partner),
    )
    .await?;
    members::put(&mut tx, brightpath, pia, Role::Admin, now).await?;

    let nordlys = companies::create(
        &mut tx,
        &staff,
        company(
            "Nordlys Service AS",
            CompanyKind::PartnerServiceDelivery,
            CompanyStatus::Validated,
        ),
        now,
    )
    .await?;
    companies::add_domain(&mut tx, &staff, nordlys, "nordlys.test").await?;
    companies::create_site_as_staff(
        &mut tx,
        &staff,
        nordlys,
        &site("Oslo workshop", "Brynsveien 5", "0667", "Oslo", "NO", true),
    )
    .await?;
    let sven = user(
        &mut tx,
        &hash,
        now,
        "sven@nordlys.test",
        "Sven Haugen",
        Some(AccessChoice::Partner),
    )
    .await?;
    members::put(&mut tx, nordlys, sven, Role::Admin, now).await?;

    let lumen = companies::create(
        &mut tx,
        &staff,
        NewCompany {
            name: "Lumen Analytics",
            kind: CompanyKind::Customer,
            status: CompanyStatus::Pending,
            address: "Storgatan 3, 111 51 Stockholm, SE",
            serial_hint: Some("CZJ1234XYZ"),
        },
        now,
    )
    .await?;
    companies::add_domain(&mut tx, &staff, lumen, "lumen.test").await?;
    companies::create_site_as_staff(
        &mut tx,
        &staff,
        lumen,
        &site(
            "Lumen Analytics",
            "Storgatan 3",
            "111 51",
            "Stockholm",
            "SE",
            true,
        ),
    )
    .await?;
    let leo = user(
        &mut tx,
        &hash,
        now,
        "leo@lumen.test",
        "Leo Nilsson",
        Some(AccessChoice::Enterprise),
    )
    .await?;
    members::put(&mut tx, lumen, leo, Role::Admin, now).await?;

    let olivia = user(
        &mut tx,
        &hash,
        now,
        "olivia@homeoffice.test",
        "Olivia Martin",
        Some(AccessChoice::Basic),
    )
    .await?;
    let request = requests::NewRequest {
        phone: "+33 1 55 00 11 22".into(),
        contact_method: "email".into(),
        page_url: "/".into(),
        intent: "Enable enterprise access for my account.".into(),
        serial_number: Some("5CG1234ABC".into()),
        company_name: "Northwind Robotics".into(),
        site_address: "Keizersgracht 100, 1015 AA Amsterdam".into(),
    };
    requests::create(&mut tx, olivia, &request, now).await?;
    tx.commit().await?;
    load_entitlements(ctx, northwind.get(), fjordline.get()).await?;
    crate::demo_desk::load(ctx, nora).await?;
    crate::demo_partners::load(ctx, brightpath, nordlys, northwind, fjordline).await?;
    crate::demo_knowledge::load(ctx).await?;
    Ok(true)
}

/// Catalog, assets, warranties, care packs, a contract and agreements, relative to today, so
/// every plan reason can be seen: units left, none left, expired, another product, another scope.
async fn load_entitlements(ctx: &Context, northwind: i64, fjordline: i64) -> AppResult<()> {
    use crate::loading::{LoadKind, Target, load};
    use serde_json::{Value, json};
    let today = ctx.today(None);
    let day = |offset: i64| (today + chrono::Duration::days(offset)).to_string();
    let lang = crate::i18n::Lang::default();
    let batches: Vec<(LoadKind, Value)> = vec![
        (
            LoadKind::Products,
            json!([
                { "sku": "PS-R740", "name": "ProServer R740", "product_line": "Servers", "has_serial": true, "warranty_months": 36, "warranty_coverage": "nbd_onsite",
                  "versions": ["Gen 14", "Gen 15"], "categories": [
                    { "name": "Hardware", "problem_types": ["Disk failure", "Power supply", "Memory errors"] },
                    { "name": "Firmware", "problem_types": ["Update failed", "Boot loop"] }] },
                { "sku": "TB-14G5", "name": "TravelBook 14 G5", "product_line": "Notebooks", "has_serial": true, "warranty_months": 12, "warranty_coverage": "parts_only",
                  "versions": ["i5", "i7"], "categories": [{ "name": "Hardware", "problem_types": ["Screen", "Battery", "Keyboard"] }] },
                { "sku": "ST-A200", "name": "StoreArray A200", "product_line": "Storage", "has_serial": true, "warranty_months": 60, "warranty_coverage": "4h_24x7_onsite",
                  "categories": [{ "name": "Hardware", "problem_types": ["Controller", "Disk failure"] }] },
                { "sku": "DS-ENT", "name": "DataSuite Enterprise", "product_line": "Software", "has_serial": false, "warranty_months": 0,
                  "versions": ["2025", "2026"], "categories": [{ "name": "Software", "problem_types": ["Installation", "Performance", "Licensing"] }] },
                { "sku": "CS-MAIL", "name": "CloudSuite Mail", "product_line": "Cloud services", "has_serial": false, "warranty_months": 0,
                  "categories": [{ "name": "Service", "problem_types": ["Outage", "Configuration"] }] }
            ]),
        ),
        (
            LoadKind::Assets,
            json!([
                { "serial_number": "NWR-SRV-0001", "sku": "PS-R740", "company_id": northwind, "ship_date": day(-200) },
                { "serial_number": "NWR-SRV-0002", "sku": "PS-R740", "company_id": northwind, "ship_date": day(-1300) },
                { "serial_number": "NWR-NB-0101", "sku": "TB-14G5", "company_id": northwind, "ship_date": day(-90) },
                { "serial_number": "NWR-NB-0102", "sku": "TB-14G5", "company_id": northwind, "ship_date": day(-500) },
                { "serial_number": "NWR-ST-0200", "sku": "ST-A200", "company_id": northwind, "ship_date": day(-400) },
                { "serial_number": "FJL-SRV-0001", "sku": "PS-R740", "company_id": fjordline, "ship_date": day(-30) }
            ]),
        ),
        (
            LoadKind::Entitlements,
            json!([
                { "kind": "care_pack", "reference": "CP-4H-88231", "company_id": northwind, "coverage": "4h_24x7_onsite", "start": day(-200), "end": day(895), "serial_numbers": ["NWR-SRV-0001"] },
                { "kind": "care_pack", "reference": "CP-NBD-11902", "company_id": northwind, "coverage": "nbd_onsite", "start": day(-1300), "end": day(-200), "serial_numbers": ["NWR-SRV-0002"] },
                { "kind": "contract", "reference": "SA-2026-4410", "company_id": northwind, "coverage": "nbd_onsite", "start": day(-60), "end": day(305), "serial_numbers": ["NWR-NB-0101", "NWR-NB-0102"] },
                { "kind": "contract", "reference": "SA-2027-0001", "company_id": northwind, "coverage": "4h_24x7_onsite", "start": day(30), "end": day(395), "serial_numbers": ["NWR-ST-0200"] }
            ]),
        ),
        (
            LoadKind::Agreements,
            json!([
                { "access_id": "NW-ACCESS-01", "agreement_id": "41000001", "programme": "Premier Support", "units": 10, "start": day(-90), "scopes": ["on_premises", "cloud"], "skus": ["DS-ENT", "CS-MAIL", "PS-R740"] },
                { "access_id": "NW-ACCESS-02", "agreement_id": "41000002", "programme": "Premier Support", "units": 0, "start": day(-90), "scopes": ["on_premises"], "skus": ["DS-ENT"] },
                { "access_id": "NW-ACCESS-03", "agreement_id": "41000003", "programme": "Legacy Support", "units": 4, "start": day(-500), "grace_days": 30, "scopes": ["on_premises"], "skus": ["DS-ENT"] },
                { "access_id": "NW-ACCESS-04", "agreement_id": "41000004", "programme": "Cloud Essentials", "units": 3, "start": day(-30), "scopes": ["cloud"], "skus": ["CS-MAIL"] },
                { "access_id": "DEMO-SHARE", "agreement_id": "42000042", "programme": "Premier Support", "units": 5, "start": day(-10), "scopes": ["on_premises", "cloud"] }
            ]),
        ),
    ];
    for (kind, rows) in batches {
        let Value::Array(rows) = rows else { continue };
        let numbered = rows.into_iter().enumerate().map(|(i, v)| (i + 1, Ok(v)));
        let target = Target::Operator(supportal_store::tools::operator());
        let report = load(ctx, &lang, kind, target, numbered, None).await?;
        if !report.errors.is_empty() {
            return Err(crate::error::AppError::internal(format!(
                "demo data does not load: {:?}",
                report.errors
            )));
        }
    }
    // Anna has registered the first four agreements; DEMO-SHARE is left to try registering.
    let mut tx = ctx.db.begin().await?;
    let anna = accounts::find_by_email(
        &mut tx,
        &EmailAddress::parse("anna.admin@northwind.test")
            .map_err(crate::error::AppError::internal)?,
    )
    .await?
    .ok_or_else(crate::error::AppError::not_found)?;
    for (access, id) in [
        ("NW-ACCESS-01", "41000001"),
        ("NW-ACCESS-02", "41000002"),
        ("NW-ACCESS-03", "41000003"),
        ("NW-ACCESS-04", "41000004"),
    ] {
        if let Some(row) = supportal_store::agreements::find_by_ids(&mut tx, access, id).await? {
            supportal_store::agreements::link(&mut tx, row.id, anna.id(), ctx.now()).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
