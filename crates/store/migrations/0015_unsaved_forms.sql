-- The diary people keep for weeks (issue 21): nothing typed is lost.

-- A form sent after its sign-in had ended (a phone tab left open overnight): kept for the
-- account whose session it was, and for the browser that sent it (`browser_hash` is the hash
-- of a secret only that browser's cookie holds), until that person signs in and saves it,
-- says not to, or it expires. Never shown to a request that is not signed in as that account
-- from that browser. Several may wait (two tabs), each with its own id.
CREATE TABLE unsaved_forms (
    id TEXT PRIMARY KEY,
    browser_hash TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    path TEXT NOT NULL,
    body TEXT NOT NULL,
    created_utc BIGINT NOT NULL,
    expires_utc BIGINT NOT NULL
);
CREATE INDEX unsaved_forms_account ON unsaved_forms (account_id);
CREATE INDEX unsaved_forms_browser ON unsaved_forms (browser_hash);

-- Sessions that ended by time (idle, or open too long), remembered for as long as a form
-- could be kept, so that a form sent from another tab after a page had already noticed the
-- end is still kept for its person. Only the session id's hash and whose it was.
CREATE TABLE ended_sessions (
    id_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    ended_utc BIGINT NOT NULL
);
CREATE INDEX ended_sessions_account ON ended_sessions (account_id);
