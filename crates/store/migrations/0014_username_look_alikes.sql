-- Accounts, second security round (issue 20, finding 15): usernames that look the same.

-- Each account's username reduced to its look-alike key (Unicode's confusable "skeleton",
-- UTS #39: Cyrillic "о" and Latin "o" become one letter, so do "1", "l" and "I"). Unique, so a
-- new account cannot take a name that reads the same as one already there. Filled for older
-- accounts when the store opens; two older accounts that already look alike keep working,
-- and the second keeps no key.
ALTER TABLE accounts ADD COLUMN look_alike TEXT;
CREATE UNIQUE INDEX accounts_look_alike ON accounts (look_alike);
