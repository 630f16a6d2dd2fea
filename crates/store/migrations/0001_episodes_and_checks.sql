CREATE TABLE episodes (
    owner TEXT NOT NULL,
    id TEXT NOT NULL,
    start_text TEXT NOT NULL,
    start_utc BIGINT NOT NULL,
    local_date TEXT NOT NULL,
    duration_seconds INTEGER NOT NULL CHECK (duration_seconds BETWEEN 1 AND 86400),
    site TEXT NOT NULL CHECK (site IN ('calf', 'foot', 'thigh', 'other')),
    side TEXT NOT NULL CHECK (side IN ('left', 'right', 'both')),
    asleep SMALLINT NOT NULL CHECK (asleep IN (0, 1)),
    eased TEXT NOT NULL CHECK (eased IN ('yes', 'no', 'unsure')),
    severity TEXT NOT NULL CHECK (severity IN ('mild', 'moderate', 'severe')),
    note TEXT,
    exercise SMALLINT NOT NULL CHECK (exercise IN (0, 1)),
    pregnant SMALLINT NOT NULL CHECK (pregnant IN (0, 1)),
    short_of_fluids SMALLINT NOT NULL CHECK (short_of_fluids IN (0, 1)),
    medication_name TEXT,
    medication_started TEXT,
    PRIMARY KEY (owner, id)
);

CREATE INDEX episodes_owner_date ON episodes (owner, local_date, start_utc);

CREATE TABLE checks (
    owner TEXT NOT NULL,
    id TEXT NOT NULL,
    at_text TEXT NOT NULL,
    at_utc BIGINT NOT NULL,
    answers TEXT NOT NULL,
    PRIMARY KEY (owner, id)
);
