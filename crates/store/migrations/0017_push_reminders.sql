-- Reminders that reach the phone (issue 21): Web Push subscriptions, one row per device and
-- kind of reminder, and the one-use codes a morning notification carries for "No cramps".

-- One reminder on one device. `endpoint`, `p256dh` and `auth` are what the browser's push
-- subscription gave (the push service's address for this device and the keys the message is
-- encrypted to). `at_minute` is the time of day in `zone` (minutes after midnight); `next_utc`
-- when it is next due; `lease_utc` until when one server has taken it to send (two servers
-- never send the same one; a server that stopped mid-send lets it go when the lease ends).
CREATE TABLE push_reminders (
    endpoint TEXT NOT NULL,
    kind TEXT NOT NULL,
    owner TEXT NOT NULL,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    zone TEXT NOT NULL,
    at_minute INTEGER NOT NULL,
    next_utc BIGINT NOT NULL,
    lease_utc BIGINT NOT NULL DEFAULT 0,
    created_utc BIGINT NOT NULL,
    PRIMARY KEY (endpoint, kind)
);
CREATE INDEX push_reminders_due ON push_reminders (next_utc);
CREATE INDEX push_reminders_owner ON push_reminders (owner);

-- "No cramps" from a morning notification: the hash of a one-use code sent (encrypted, to
-- that device only) in the notification, for one night of one diary, until it expires.
CREATE TABLE push_actions (
    code_hash TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    night TEXT NOT NULL,
    expires_utc BIGINT NOT NULL
);
CREATE INDEX push_actions_expiry ON push_actions (expires_utc);

-- "Send the morning question now": when each account last did it (at most once a minute).
CREATE TABLE push_tries (
    owner TEXT PRIMARY KEY,
    at_utc BIGINT NOT NULL
);
