-- Accounts (`serve --accounts`): no secret in the clear (see `accounts.rs`).

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    created_utc BIGINT NOT NULL,
    disabled SMALLINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    created_utc BIGINT NOT NULL,
    last_seen_utc BIGINT NOT NULL,
    device TEXT NOT NULL
);

CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE security_events (
    at_utc BIGINT NOT NULL,
    account_id TEXT,
    kind TEXT NOT NULL,
    ip_hash TEXT NOT NULL
);

CREATE INDEX security_events_account ON security_events (account_id, at_utc);

CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
