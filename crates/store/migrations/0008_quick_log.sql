-- The quick log (issue 9): how long, which muscle, whether it woke them and whether moving
-- eased it may be left for later (NULL), and a cramp may be logged as "last night" with no
-- time. SQLite cannot drop NOT NULL, so the table is rebuilt (the same SQL on PostgreSQL).

CREATE TABLE episodes_v8 (
    owner TEXT NOT NULL,
    id TEXT NOT NULL,
    start_text TEXT NOT NULL,
    start_utc BIGINT NOT NULL,
    local_date TEXT NOT NULL,
    duration_seconds INTEGER CHECK (duration_seconds BETWEEN 1 AND 86400),
    site TEXT CHECK (site IN ('calf', 'foot', 'thigh', 'other')),
    side TEXT NOT NULL CHECK (side IN ('left', 'right', 'both')),
    asleep SMALLINT CHECK (asleep IN (0, 1)),
    eased TEXT CHECK (eased IN ('yes', 'no', 'unsure')),
    severity TEXT NOT NULL CHECK (severity IN ('mild', 'moderate', 'severe')),
    note TEXT,
    exercise SMALLINT NOT NULL CHECK (exercise IN (0, 1)),
    pregnant SMALLINT NOT NULL CHECK (pregnant IN (0, 1)),
    short_of_fluids SMALLINT NOT NULL CHECK (short_of_fluids IN (0, 1)),
    medication_name TEXT,
    medication_started TEXT,
    import_id TEXT,
    last_night SMALLINT NOT NULL DEFAULT 0 CHECK (last_night IN (0, 1)),
    PRIMARY KEY (owner, id)
);

INSERT INTO episodes_v8 (owner, id, start_text, start_utc, local_date, duration_seconds, site, side, asleep, eased, severity, note, exercise, pregnant, short_of_fluids, medication_name, medication_started, import_id, last_night)
    SELECT owner, id, start_text, start_utc, local_date, duration_seconds, site, side, asleep, eased, severity, note, exercise, pregnant, short_of_fluids, medication_name, medication_started, import_id, 0 FROM episodes;

DROP TABLE episodes;

ALTER TABLE episodes_v8 RENAME TO episodes;

CREATE INDEX episodes_owner_date ON episodes (owner, local_date, start_utc);

CREATE INDEX episodes_import ON episodes (import_id);
