//! Generated data for the case benchmarks: companies with an admin and members, and cases spread
//! over them, written with multi-row inserts (ids chosen here, so no row is read back).

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};
use supportal_store::{Arg, Db, tools};

/// Rows per multi-row statement: well under both databases' limits on bound values.
const ROWS_PER_STATEMENT: usize = 50;

/// Collects rows for one table and writes them `ROWS_PER_STATEMENT` at a time.
struct Batch {
    table: &'static str,
    columns: Vec<&'static str>,
    rows: Vec<Vec<Arg>>,
}

impl Batch {
    fn new(table: &'static str, columns: &[&'static str]) -> Batch {
        Batch {
            table,
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    async fn push(&mut self, db: &Db, row: Vec<Arg>) -> Result<()> {
        self.rows.push(row);
        if self.rows.len() >= ROWS_PER_STATEMENT {
            self.flush(db).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, db: &Db) -> Result<()> {
        let rows = std::mem::take(&mut self.rows);
        tools::insert_rows(db, self.table, &self.columns, rows).await?;
        Ok(())
    }
}

/// What was generated: company `c` (1-based) has users `users_of(c)`, the first its admin.
pub struct Generated {
    pub users_per_company: i64,
}

impl Generated {
    pub fn admin_of(&self, company: i64) -> i64 {
        (company - 1) * self.users_per_company + 1
    }

    pub fn member_of(&self, company: i64, n: i64) -> i64 {
        self.admin_of(company) + n % self.users_per_company
    }

    /// A serial number that has cases in `company`.
    pub fn serial_of(company: i64, n: i64) -> String {
        format!("SN{company:06}{:03}", n % SERIALS_PER_COMPANY)
    }
}

const SERIALS_PER_COMPANY: i64 = 20;

/// The desk's columns, written after `CASE_COLUMNS` when cases are generated into queues.
const DESK_COLUMNS: &[&str] = &[
    "queue_id",
    "coverage",
    "response_due",
    "resolution_target_s",
    "resolution_since",
    "resolution_due",
    "sla_due",
];

/// How generated cases sit in desk queues: `queues` queues (ids 1…), every case open, and one in
/// `breached_every` already past its response target.
#[derive(Clone, Copy)]
pub struct DeskShape {
    pub queues: i64,
    pub breached_every: i64,
}

const CASE_COLUMNS: &[&str] = &[
    "id",
    "number",
    "company_id",
    "submitter_id",
    "status",
    "severity",
    "handling_24x7",
    "title",
    "description",
    "product_id",
    "serial_number",
    "entitlement_kind",
    "entitlement_id",
    "country",
    "time_zone",
    "primary_name",
    "primary_email",
    "equipment_company",
    "equipment_street",
    "equipment_postal_code",
    "equipment_city",
    "equipment_country",
    "created_at",
    "updated_at",
];

fn text(v: impl Into<String>) -> Arg {
    Arg::Text(Some(v.into()))
}

/// Writes `companies` validated customer companies with `users_per_company` users each and
/// `cases` cases spread evenly over them; prints progress.
pub async fn generate(
    db: &Db,
    companies: i64,
    users_per_company: i64,
    cases: i64,
    now: DateTime<Utc>,
) -> Result<Generated> {
    generate_with(db, companies, users_per_company, cases, now, None, 0).await
}

/// `generate`, with the cases in desk queues when `desk` says so, and the first `hot` cases all
/// in company 1 (the rest spread over the others) when `hot` is above zero.
pub async fn generate_with(
    db: &Db,
    companies: i64,
    users_per_company: i64,
    cases: i64,
    now: DateTime<Utc>,
    desk: Option<DeskShape>,
    hot: i64,
) -> Result<Generated> {
    let product_id = {
        let mut tx = db.begin().await?;
        let id = super::bench_product(&mut tx).await?;
        tx.commit().await?;
        id
    };
    let generated = Generated { users_per_company };
    let mut company_rows = Batch::new(
        "companies",
        &["id", "name", "kind", "status", "created_at", "validated_at"],
    );
    let mut user_rows = Batch::new(
        "users",
        &[
            "id",
            "email",
            "name",
            "password_hash",
            "verified_at",
            "access_choice",
            "created_at",
        ],
    );
    let mut member_rows = Batch::new(
        "memberships",
        &["company_id", "user_id", "role", "created_at"],
    );
    for c in 1..=companies {
        company_rows
            .push(
                db,
                vec![
                    c.into(),
                    text(format!("Company {c}")),
                    text("customer"),
                    text("validated"),
                    now.into(),
                    now.into(),
                ],
            )
            .await?;
    }
    company_rows.flush(db).await?;
    for c in 1..=companies {
        for n in 0..users_per_company {
            let u = generated.member_of(c, n);
            user_rows
                .push(
                    db,
                    vec![
                        u.into(),
                        text(format!("user{u}@c{c}.bench")),
                        text(format!("User {u}")),
                        text("not-a-password-hash"),
                        now.into(),
                        text("enterprise"),
                        now.into(),
                    ],
                )
                .await?;
            member_rows
                .push(
                    db,
                    vec![
                        c.into(),
                        u.into(),
                        text(if n == 0 { "admin" } else { "member" }),
                        now.into(),
                    ],
                )
                .await?;
        }
    }
    user_rows.flush(db).await?;
    member_rows.flush(db).await?;

    let mut columns = CASE_COLUMNS.to_vec();
    if desk.is_some() {
        columns.extend(DESK_COLUMNS);
    }
    let mut case_rows = Batch::new("cases", &columns);
    let statuses = match desk {
        None => [
            "new",
            "in_progress",
            "waiting_on_customer",
            "resolved",
            "closed",
        ],
        Some(_) => ["new", "assigned", "in_progress", "new", "in_progress"],
    };
    // Company by company, so index inserts stay local (as a company's cases arrive over time).
    let hot = hot
        .clamp(0, cases)
        .min(if companies > 1 { cases } else { 0 });
    let (others, other_companies) = match hot > 0 {
        true => (cases - hot, (companies - 1).max(1)),
        false => (cases, companies),
    };
    let offset = 1 + i64::from(hot > 0);
    for i in 0..cases {
        // Company by company in order, every company of the spread getting its share.
        let (c, round) = match i < hot {
            true => (1, i),
            false => {
                let j = i - hot;
                (offset + j * other_companies / others.max(1), j)
            }
        };
        let submitter = generated.member_of(c, round);
        let at = now - Duration::seconds(cases - i);
        let mut row: Vec<Arg> = vec![
            (i + 1).into(),
            text(format!("5{:09}", i + 1)),
            c.into(),
            submitter.into(),
            text(statuses[(i % 5) as usize]),
            ((i % 4) + 1).into(),
            false.into(),
            text(format!("Case {i}: disk failure on array {}", i % 97)),
            text("Generated for the benchmark"),
            product_id.into(),
            text(Generated::serial_of(c, round)),
            text("warranty"),
            1i64.into(),
            text("NL"),
            text("Europe/Amsterdam"),
            text(format!("User {submitter}")),
            text(format!("user{submitter}@c{c}.bench")),
            text(format!("Company {c}")),
            text("Main street 1"),
            text("1000 AA"),
            text("Amsterdam"),
            text("NL"),
            at.into(),
            at.into(),
        ];
        if let Some(shape) = desk {
            // Due over the coming days, a few already past.
            let due = if i % shape.breached_every == 0 {
                now - Duration::minutes(1)
            } else {
                now + Duration::minutes(1 + (i * 7919) % 10_000)
            };
            row.extend([
                ((i % shape.queues) + 1).into(),
                text("nbd_onsite"),
                due.into(),
                (8 * 3600i64).into(),
                at.into(),
                (due + Duration::hours(8)).into(),
                due.into(),
            ]);
        }
        case_rows.push(db, row).await?;
        if (i + 1) % 100_000 == 0 {
            println!("  {} cases written", i + 1);
        }
    }
    case_rows.flush(db).await?;
    // Explicit ids leave PostgreSQL's identity sequences behind; statistics are stale too.
    tools::after_bulk_insert(db).await?;
    Ok(generated)
}

/// Opens an API session for `user` and returns its bearer token.
pub async fn token_for(db: &Db, user: i64, now: DateTime<Utc>) -> Result<String> {
    let token = format!("bench-token-{user}-{}", rand_suffix());
    let hash = supportal_app::auth::sha256_hex(&token);
    let mut tx = db.begin().await?;
    supportal_store::sessions::create(
        &mut tx,
        supportal_store::sessions::NewSession {
            user: supportal_domain::UserId(user),
            kind: supportal_store::sessions::SessionKind::Api,
            token_hash: &hash,
            csrf_token: "bench",
            now,
            expires_at: now + Duration::days(1),
            user_agent: "bench",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default()
}
