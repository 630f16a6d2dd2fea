-- Imports in batches (hardening finding 8): rows of an import that has not finished carry
-- its id and stay invisible until its row here is deleted, in one small transaction.

CREATE TABLE pending_imports (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    touched_utc BIGINT NOT NULL
);

ALTER TABLE episodes ADD COLUMN import_id TEXT;

ALTER TABLE checks ADD COLUMN import_id TEXT;

CREATE INDEX episodes_import ON episodes (import_id);

CREATE INDEX checks_import ON checks (import_id);
