-- Reserved: this number belongs to a migration of another branch. Tern needs the numbers without a
-- gap, so this file, which changes nothing, stands in for it until the branches meet; delete it then.
SELECT 1;

---- create above / drop below ----

SELECT 1;
