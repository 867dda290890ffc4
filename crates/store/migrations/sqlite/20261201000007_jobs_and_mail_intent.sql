-- Issue 10: jobs with leases, run by whichever serve process claims them (store::jobs). A job
-- is due at run_at; a process claims it by setting lease_until and lease_holder, and a lease that
-- runs out (the process died) lets another process take the job. A recurring job (every_seconds)
-- comes back after each run; a one-off job is done when done_at is set.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL DEFAULT '',
    every_seconds INTEGER,
    run_at TEXT NOT NULL,
    lease_until TEXT,
    lease_holder TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    runs INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    last_done_at TEXT,
    done_at TEXT
);
CREATE INDEX jobs_due ON jobs(run_at) WHERE done_at IS NULL;

-- The jobs table replaces the periodic-run claims of issue 9.
DROP TABLE job_runs;

-- Mail as intent: a message is queued as its template and values (intent, JSON) with the values
-- that must not outlive delivery kept apart (secrets, JSON; NULL once delivered), and rendered
-- at delivery in the recipient's language and time zone. subject, text_body and html_body hold
-- what was sent, with the secrets masked.
ALTER TABLE outbox ADD COLUMN intent TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN secrets TEXT;
