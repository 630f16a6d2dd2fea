-- What helped and what came before (issue 9): the choices' names, `;` between them; NULL
-- for none.

ALTER TABLE episodes ADD COLUMN helped TEXT;

ALTER TABLE episodes ADD COLUMN suspected TEXT;
