-- Accounts, sessions, codes, throttles, companies, memberships, contacts, profiles, requests, outbox.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    verified_at TEXT,
    access_choice TEXT,
    active BOOLEAN NOT NULL DEFAULT 1,
    staff_role TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE email_codes (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    wrong_tries INTEGER NOT NULL DEFAULT 0,
    sent_at TEXT NOT NULL,
    used BOOLEAN NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, purpose)
);

CREATE TABLE throttle_hits (
    id INTEGER PRIMARY KEY,
    bucket TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX throttle_hits_bucket ON throttle_hits(bucket, at);

CREATE TABLE companies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    serial_hint TEXT,
    created_at TEXT NOT NULL,
    validated_at TEXT
);

CREATE TABLE company_domains (
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    domain TEXT NOT NULL,
    PRIMARY KEY (company_id, domain)
);
CREATE INDEX company_domains_domain ON company_domains(domain);

CREATE TABLE company_pins (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    UNIQUE (company_id, code)
);

CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    street TEXT NOT NULL,
    city TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    country TEXT NOT NULL,
    is_primary BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX sites_company ON sites(company_id);

CREATE TABLE memberships (
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    PRIMARY KEY (company_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    code_hash TEXT NOT NULL UNIQUE,
    invited_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    accepted_at TEXT,
    accepted_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX invitations_company ON invitations(company_id);

CREATE TABLE company_contacts (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX company_contacts_company ON company_contacts(company_id);

CREATE TABLE saved_contacts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (user_id, email)
);

CREATE TABLE profiles (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    phone TEXT NOT NULL,
    contact_method TEXT NOT NULL,
    language TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    country TEXT NOT NULL,
    site_id INTEGER REFERENCES sites(id) ON DELETE SET NULL,
    default_pin_id INTEGER REFERENCES company_pins(id) ON DELETE SET NULL,
    notify BOOLEAN NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE access_requests (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    phone TEXT NOT NULL,
    contact_method TEXT NOT NULL,
    page_url TEXT NOT NULL,
    intent TEXT NOT NULL,
    serial_number TEXT,
    company_name TEXT NOT NULL,
    site_address TEXT NOT NULL,
    status TEXT NOT NULL,
    resolution_reason TEXT,
    resolved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    resolved_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX access_requests_status ON access_requests(status, created_at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    company_id INTEGER REFERENCES companies(id) ON DELETE CASCADE,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_company ON audit_log(company_id, at);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    last_error TEXT
);
CREATE INDEX outbox_pending ON outbox(sent_at, next_attempt_at);
