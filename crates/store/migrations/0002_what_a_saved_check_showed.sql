-- What a person was shown when they saved a check, kept as it was (never worked out again
-- with newer rules). NULL for checks saved before this was kept.

ALTER TABLE checks ADD COLUMN shown_disposition TEXT;

ALTER TABLE checks ADD COLUMN shown_phone_111 SMALLINT;

ALTER TABLE checks ADD COLUMN shown_phone_999 SMALLINT;

ALTER TABLE checks ADD COLUMN shown_content_version TEXT;

ALTER TABLE checks ADD COLUMN shown_rules_version TEXT;
