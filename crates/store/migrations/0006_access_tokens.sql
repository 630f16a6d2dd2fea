-- Personal access tokens for programs (the CLI's --server): only their hashes.

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    scope TEXT NOT NULL CHECK (scope IN ('read', 'read-write')),
    created_utc BIGINT NOT NULL,
    last_used_utc BIGINT
);

CREATE INDEX api_tokens_account ON api_tokens (account_id);
