-- The diary list's paging (issue 8's diary page): the days with cramps and a page's cramps
-- are read from the index alone, `import_id` included for the visibility condition, not
-- from every cramp's row. (It runs before 11, which is not SQL; they are independent.)

CREATE INDEX episodes_owner_date_visible ON episodes (owner, local_date, start_utc, import_id);

DROP INDEX episodes_owner_date;
