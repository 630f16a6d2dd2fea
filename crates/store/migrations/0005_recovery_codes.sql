-- Recovery codes (there is no email): only their hashes; a used one keeps its row, marked.

CREATE TABLE recovery_codes (
    account_id TEXT NOT NULL REFERENCES accounts (id),
    code_hash TEXT NOT NULL,
    used_utc BIGINT,
    PRIMARY KEY (account_id, code_hash)
);
