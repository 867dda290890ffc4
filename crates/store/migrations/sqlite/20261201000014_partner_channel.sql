-- Issue 12 (partner channel), PTN-1 to PTN-6: the programme a partner company is enrolled in,
-- distributors' feed tokens, resold devices and their history, customer dashboards with their
-- customer PIN, device alerts, and service partners' reimbursement claims.

-- PTN-1: enrolment by the operator. A service-delivery partner gets a repair queue of its own.
CREATE TABLE partner_programmes (
    company_id INTEGER PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    enrolled BOOLEAN NOT NULL,
    queue_id INTEGER REFERENCES queues(id) ON DELETE SET NULL,
    changed_at TEXT NOT NULL
);
-- A queue that belongs to a partner: its members work it (SUP-1 partner engineers).
ALTER TABLE queues ADD COLUMN partner_company_id INTEGER REFERENCES companies(id) ON DELETE CASCADE;

-- PTN-2: tokens distributors report with; only the hash is kept.
CREATE TABLE feed_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);

-- PTN-4: one dashboard per customer of a partner; devices enrol into it with its cPIN.
CREATE TABLE dashboards (
    id INTEGER PRIMARY KEY,
    partner_company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    customer_company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,
    cpin TEXT NOT NULL UNIQUE,
    self_service_alerts BOOLEAN NOT NULL DEFAULT 0,
    first_device_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (partner_company_id, name)
);

-- PTN-2, PTN-4: a resold device, reported once by serial and sale reference; on its partner's
-- unassigned list while `dashboard_id` is NULL. The agent's token is kept as a hash.
CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    serial_number TEXT NOT NULL UNIQUE,
    sku TEXT NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products(id),
    service_plan TEXT NOT NULL,
    partner_company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    sold_on TEXT NOT NULL,
    reference TEXT NOT NULL,
    dashboard_id INTEGER REFERENCES dashboards(id) ON DELETE SET NULL,
    device_name TEXT,
    end_user_email TEXT,
    token_hash TEXT UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX devices_partner ON devices(partner_company_id, dashboard_id, serial_number);
CREATE INDEX devices_dashboard ON devices(dashboard_id, serial_number);

-- Every arrival and move of a device (PTN-4).
CREATE TABLE device_events (
    id INTEGER PRIMARY KEY,
    device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    dashboard_id INTEGER REFERENCES dashboards(id) ON DELETE SET NULL,
    actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    detail TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE INDEX device_events_device ON device_events(device_id, id);

-- PTN-5: what a device's agent reported, who it went to, and the repair case made of it.
CREATE TABLE device_alerts (
    id INTEGER PRIMARY KEY,
    device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    component TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    routed_to TEXT NOT NULL,
    dashboard_id INTEGER REFERENCES dashboards(id) ON DELETE SET NULL,
    case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,
    -- The *View* link's secret (a hash) and when the link stops working.
    view_token_hash TEXT NOT NULL UNIQUE,
    view_expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX device_alerts_device ON device_alerts(device_id, id);
CREATE INDEX device_alerts_dashboard ON device_alerts(dashboard_id, id);

ALTER TABLE notifications ADD COLUMN alert_id INTEGER REFERENCES device_alerts(id) ON DELETE CASCADE;
-- A repair case names its device; a partner's request for missing devices is a case of its kind.
ALTER TABLE cases ADD COLUMN kind TEXT NOT NULL DEFAULT 'support';
ALTER TABLE cases ADD COLUMN device_id INTEGER REFERENCES devices(id) ON DELETE SET NULL;

-- PTN-5: a service partner's claim for a repair it did.
CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    partner_company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    parts TEXT NOT NULL,
    labour_minutes INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    decided_at TEXT
);
CREATE INDEX claims_partner ON claims(partner_company_id, id);
CREATE INDEX claims_status ON claims(status, id);
-- One claim waiting per case: a rejected claim may be claimed again.
CREATE UNIQUE INDEX claims_one_open ON claims(case_id) WHERE status <> 'rejected';

