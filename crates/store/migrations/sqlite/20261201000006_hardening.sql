-- Issue 9 (hardening): purchases are retry-safe with an Idempotency-Key. A key is claimed before
-- the card is charged and points at the purchase once it is written, in the same transaction.
CREATE TABLE purchase_keys (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    purchase_id INTEGER REFERENCES purchases(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);
