-- In-app notifications for every kind (NTF-1): a short detail the title shows (a company, a
-- request number, which SLA target), and what the notice is about when it is not a case or an
-- alert (an invitation, an access request). SLA breach notices become one kind.
ALTER TABLE notifications ADD COLUMN detail TEXT;
ALTER TABLE notifications ADD COLUMN subject_id INTEGER;
UPDATE notifications SET detail = substr(kind, 12), kind = 'sla_breach' WHERE kind LIKE 'sla-breach-%';
CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at IS NULL;

-- Per person and kind: in_app, email, both or none. No row: the kind's default.
CREATE TABLE notification_settings (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    delivery TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
