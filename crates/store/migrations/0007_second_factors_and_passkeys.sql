-- Second factors and passkeys, the short-lived state of a sign-in step or a passkey
-- ceremony (single use: taking it deletes it), and sign-in backoff shared by every
-- process on the database.

CREATE TABLE passkeys (
    credential_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    name TEXT NOT NULL,
    passkey TEXT NOT NULL,
    created_utc BIGINT NOT NULL,
    last_used_utc BIGINT
);

CREATE INDEX passkeys_account ON passkeys (account_id);

CREATE TABLE totp_factors (
    account_id TEXT PRIMARY KEY REFERENCES accounts (id),
    secret TEXT NOT NULL,
    last_step BIGINT NOT NULL,
    created_utc BIGINT NOT NULL
);

CREATE TABLE ceremonies (
    id_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    account_id TEXT,
    state TEXT NOT NULL,
    tries BIGINT NOT NULL DEFAULT 0,
    expires_utc BIGINT NOT NULL
);

CREATE INDEX ceremonies_expiry ON ceremonies (expires_utc);

CREATE TABLE attempts (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_utc BIGINT NOT NULL
);
