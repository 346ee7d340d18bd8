-- Placeholder: number 005 belongs to a migration of another branch. tern refuses a gap in the
-- numbers, so this keeps 006 loadable until the branches meet; delete it then.
SELECT 1;

---- create above / drop below ----

SELECT 1;
