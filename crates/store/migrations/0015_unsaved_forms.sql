-- The diary people keep for weeks (issue 21): nothing typed is lost.

-- A form sent after its sign-in had ended (a phone tab left open overnight): kept for the
-- account whose session it was, and for the browser that sent it (`id_hash` is the hash of a
-- secret only that browser's cookie holds), until that person signs in and saves it, says not
-- to, or it expires. Never shown to a request that is not signed in as that account.
CREATE TABLE unsaved_forms (
    id_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    path TEXT NOT NULL,
    body TEXT NOT NULL,
    created_utc BIGINT NOT NULL,
    expires_utc BIGINT NOT NULL
);
CREATE INDEX unsaved_forms_account ON unsaved_forms (account_id);
