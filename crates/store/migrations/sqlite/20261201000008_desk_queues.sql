-- Issue 15 (support desk), SUP-2: queues with their engineers, ordered routing rules, and the
-- queue each case was routed to. At most one queue is the default, for cases no rule matches.
CREATE TABLE queues (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    language TEXT,
    is_default BOOLEAN NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX queues_one_default ON queues(is_default) WHERE is_default;

CREATE TABLE queue_engineers (
    queue_id INTEGER NOT NULL REFERENCES queues(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (queue_id, user_id)
);

-- A rule's conditions are its non-null columns; the first rule by position (then id) whose
-- every condition holds names the queue.
CREATE TABLE routing_rules (
    id INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    queue_id INTEGER NOT NULL REFERENCES queues(id) ON DELETE CASCADE,
    product_line TEXT,
    country TEXT,
    language TEXT,
    severity INTEGER,
    coverage_24x7 BOOLEAN,
    company_id INTEGER REFERENCES companies(id) ON DELETE CASCADE,
    pin TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX routing_rules_order ON routing_rules(position, id);

ALTER TABLE cases ADD COLUMN queue_id INTEGER REFERENCES queues(id);
CREATE INDEX cases_queue ON cases(queue_id, status);
