-- The diary people keep for weeks (issue 21): "No cramps last night".

-- A night the person said had no cramps, named by the date of the morning it ended on
-- (YYYY-MM-DD, the date a "last night" cramp is kept under). One row a night: saying it twice
-- changes nothing. Nights with no row and no cramp in sleep are not known.
CREATE TABLE night_check_ins (
    owner TEXT NOT NULL,
    night TEXT NOT NULL,
    created_utc BIGINT NOT NULL,
    PRIMARY KEY (owner, night)
);
