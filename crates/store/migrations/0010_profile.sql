-- The profile (issue 9): what lasts longer than a cramp, kept once. Migration 11 (in
-- `profile.rs`) moves the new medicine and pregnancy older diaries kept with each cramp
-- into it; the episodes' old columns then stay empty.

CREATE TABLE profile_medicines (
    owner TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    started TEXT NOT NULL,
    stopped TEXT,
    from_diary SMALLINT NOT NULL DEFAULT 0 CHECK (from_diary IN (0, 1)),
    PRIMARY KEY (owner, id)
);

CREATE TABLE profile_pregnancies (
    owner TEXT NOT NULL,
    id TEXT NOT NULL,
    started TEXT NOT NULL,
    ended TEXT,
    from_diary SMALLINT NOT NULL DEFAULT 0 CHECK (from_diary IN (0, 1)),
    PRIMARY KEY (owner, id)
);

CREATE TABLE profile_conditions (
    owner TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    since TEXT,
    PRIMARY KEY (owner, id)
);
