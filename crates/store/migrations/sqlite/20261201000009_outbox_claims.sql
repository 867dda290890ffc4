-- Issue 10 review: each claim of outbox rows carries a token, and only the holder of the claim
-- records the outcome, so a worker that overstays its lease cannot overwrite another's.
ALTER TABLE outbox ADD COLUMN claim TEXT;
