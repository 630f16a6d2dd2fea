-- Accounts, second security round (issue 20).

-- When the person last proved who they are in this session: at sign-in, or on "Confirm it is
-- you". Adding a way to sign in or making a token needs it within a few minutes (a setting).
-- Sessions from before this change count as never confirmed: they must confirm first.
ALTER TABLE sessions ADD COLUMN confirmed_utc BIGINT NOT NULL DEFAULT 0;

-- Tokens expire. A token made before expiry existed lives the longest a token may now live
-- (365 days) from when it was made.
ALTER TABLE api_tokens ADD COLUMN expires_utc BIGINT;
UPDATE api_tokens SET expires_utc = created_utc + 31536000;

-- Backoff: the time before which no try on a key is looked at, written with the count in the
-- same statement, so that concurrent tries cannot all pass one check.
ALTER TABLE attempts ADD COLUMN not_before_utc BIGINT NOT NULL DEFAULT 0;
