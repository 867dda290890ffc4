-- Issue 15 (support desk), SUP-3 and SUP-4: who works a case, its resolution, its service-level
-- clocks, internal notes, parts and onsite service orders, business-hours calendars and targets.

-- Business-hours calendars (SUP-4): weekly hours in a time zone and holidays, as the API sends
-- them (JSON text), checked by `domain::sla::Calendar::parse` before they are stored.
CREATE TABLE calendars (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    time_zone TEXT NOT NULL,
    hours TEXT NOT NULL,
    holidays TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Targets per coverage and severity; no calendar means the clock runs 24x7.
CREATE TABLE slas (
    id INTEGER PRIMARY KEY,
    coverage TEXT NOT NULL,
    severity INTEGER NOT NULL,
    response_minutes INTEGER NOT NULL,
    resolution_minutes INTEGER NOT NULL,
    calendar_id INTEGER REFERENCES calendars(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    UNIQUE (coverage, severity)
);

-- The case's desk state. `coverage` is what its plan covers (an SLA key); the resolution clock
-- keeps the running seconds used while it is stopped (`resolution_since` NULL); `sla_due` is the
-- next due time that matters (the response until the first public reply, then the resolution),
-- NULL while no clock runs, and orders the queue lists.
ALTER TABLE cases ADD COLUMN assignee_id INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE cases ADD COLUMN coverage TEXT;
ALTER TABLE cases ADD COLUMN resolution_code TEXT;
ALTER TABLE cases ADD COLUMN sla_calendar_id INTEGER REFERENCES calendars(id) ON DELETE SET NULL;
ALTER TABLE cases ADD COLUMN response_due TEXT;
ALTER TABLE cases ADD COLUMN responded_at TEXT;
ALTER TABLE cases ADD COLUMN resolution_target_s INTEGER;
ALTER TABLE cases ADD COLUMN resolution_used_s INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN resolution_since TEXT;
ALTER TABLE cases ADD COLUMN resolution_due TEXT;
ALTER TABLE cases ADD COLUMN sla_due TEXT;
ALTER TABLE cases ADD COLUMN response_breached_at TEXT;
ALTER TABLE cases ADD COLUMN resolution_breached_at TEXT;
CREATE INDEX cases_queue_due ON cases(queue_id, sla_due, id);
CREATE INDEX cases_assignee ON cases(assignee_id, sla_due);
-- The breach sweep reads only clocks that can still breach.
CREATE INDEX cases_response_sweep ON cases(response_due)
    WHERE responded_at IS NULL AND response_breached_at IS NULL AND finished_at IS NULL;
CREATE INDEX cases_resolution_sweep ON cases(resolution_due)
    WHERE resolution_breached_at IS NULL AND finished_at IS NULL;
-- Resolved cases close by themselves after 14 days.
CREATE INDEX cases_resolved ON cases(finished_at) WHERE status = 'resolved';

-- Internal notes are history events customers never see; a reply by email keeps its sender.
ALTER TABLE case_events ADD COLUMN internal BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE case_events ADD COLUMN author_email TEXT;

CREATE TABLE parts_orders (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    part_number TEXT NOT NULL,
    description TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    ship_to TEXT NOT NULL,
    status TEXT NOT NULL,
    carrier TEXT,
    tracking TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX parts_orders_case ON parts_orders(case_id, id);
CREATE INDEX parts_orders_updated ON parts_orders(updated_at);

CREATE TABLE service_orders (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    window_start TEXT NOT NULL,
    window_end TEXT NOT NULL,
    engineer TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX service_orders_case ON service_orders(case_id, id);
CREATE INDEX service_orders_updated ON service_orders(updated_at);

-- In-app notifications (a breach told to a queue's engineers; issue 13 adds kinds).
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    case_id INTEGER REFERENCES cases(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notifications_user ON notifications(user_id, id);

-- Inbound replies already taken, by Message-ID, so a provider's retry adds nothing twice.
CREATE TABLE inbound_messages (
    message_id TEXT PRIMARY KEY,
    case_id INTEGER REFERENCES cases(id) ON DELETE CASCADE,
    received_at TEXT NOT NULL
);
