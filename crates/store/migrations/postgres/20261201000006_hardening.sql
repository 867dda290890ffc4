-- Issue 9 (hardening): purchases are retry-safe with an Idempotency-Key. A key is claimed before
-- the card is charged and points at the purchase once it is written, in the same transaction.
CREATE TABLE purchase_keys (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    purchase_id BIGINT REFERENCES purchases(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, key)
);

-- Periodic jobs run by whichever serve process claims them first: a run is claimed by moving
-- last_run forward in one conditional statement, so several processes never run one job twice.
CREATE TABLE job_runs (
    name TEXT PRIMARY KEY,
    last_run TIMESTAMPTZ NOT NULL
);

-- The browser that registered an account (a SHA-256 of a token in its cookie): it may sign in
-- with the emailed code alone, since it chose the password. Cleared on verification.
ALTER TABLE users ADD COLUMN registration_browser TEXT;

-- What pruning looks for, so it never scans whole tables.
CREATE INDEX throttle_hits_at ON throttle_hits(at);
CREATE INDEX sessions_expires ON sessions(expires_at);
CREATE INDEX email_codes_expires ON email_codes(expires_at);
