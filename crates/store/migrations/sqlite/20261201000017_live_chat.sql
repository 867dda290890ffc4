-- Live chat (CHAT-1): a person's chat with the desk, routed to a queue, waiting until an
-- engineer takes it, ended with its transcript kept, and perhaps turned into a case. Every
-- change is a row of chat_messages (a message, an engineer joining, the end), which is what
-- processes watch to pass chats on (LISTEN/NOTIFY on PostgreSQL, polled on SQLite).
ALTER TABLE queues ADD COLUMN chat_calendar_id INTEGER REFERENCES calendars(id) ON DELETE SET NULL;

CREATE TABLE chats (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,
    queue_id INTEGER REFERENCES queues(id) ON DELETE SET NULL,
    engineer_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    accepted_at TEXT,
    ended_at TEXT,
    case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL
);
CREATE INDEX chats_user ON chats(user_id, id);
CREATE INDEX chats_queue ON chats(status, queue_id, id);
-- One open chat a person: starting again (a retry, a second tab) finds it.
CREATE UNIQUE INDEX chats_one_open ON chats(user_id) WHERE status <> 'ended';

CREATE TABLE chat_messages (
    id INTEGER PRIMARY KEY,
    chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    from_staff BOOLEAN NOT NULL,
    -- message, joined or ended
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX chat_messages_chat ON chat_messages(chat_id, id);
