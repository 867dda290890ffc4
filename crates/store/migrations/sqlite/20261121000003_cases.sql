-- Cases (CAS-1 to CAS-14): the case, its additional contacts, its history, favourites and the
-- idempotency keys that make creation retry-safe.
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    submitter_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    severity INTEGER NOT NULL,
    handling_24x7 BOOLEAN NOT NULL,
    escalated BOOLEAN NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    troubleshooting TEXT NOT NULL DEFAULT '',
    product_id INTEGER NOT NULL REFERENCES products(id),
    asset_id INTEGER REFERENCES assets(id) ON DELETE SET NULL,
    serial_number TEXT,
    version TEXT,
    category TEXT,
    problem_type TEXT,
    entitlement_kind TEXT NOT NULL,
    entitlement_id INTEGER NOT NULL,
    incident_use_id INTEGER REFERENCES incident_uses(id) ON DELETE SET NULL,
    country TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    pin_id INTEGER REFERENCES company_pins(id) ON DELETE SET NULL,
    primary_name TEXT NOT NULL,
    primary_email TEXT NOT NULL,
    primary_phone TEXT,
    alternate_name TEXT,
    alternate_email TEXT,
    alternate_phone TEXT,
    site_id INTEGER REFERENCES sites(id) ON DELETE SET NULL,
    equipment_company TEXT NOT NULL,
    equipment_street TEXT NOT NULL,
    equipment_postal_code TEXT NOT NULL,
    equipment_city TEXT NOT NULL,
    equipment_country TEXT NOT NULL,
    parts_street TEXT,
    parts_postal_code TEXT,
    parts_city TEXT,
    parts_country TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX cases_company ON cases(company_id, created_at);
CREATE INDEX cases_submitter ON cases(submitter_id, created_at);
CREATE INDEX cases_primary_email ON cases(primary_email);
CREATE INDEX cases_serial ON cases(serial_number);

CREATE TABLE case_contacts (
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (case_id, email)
);
CREATE INDEX case_contacts_email ON case_contacts(email);

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    status_from TEXT,
    status_to TEXT,
    body TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events(case_id, at);

CREATE TABLE case_favorites (
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_favorites_user ON case_favorites(user_id);

CREATE TABLE idempotency_keys (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);
