-- The reviewer role (issue 18): keys of the register's staff, who decide probable duplicates; an
-- establishment's key may no longer clear its own. A key is exactly one of: bound to an establishment,
-- the operator role, the reviewer role.
ALTER TABLE api_keys ADD COLUMN reviewer boolean NOT NULL DEFAULT false;
ALTER TABLE api_keys DROP CONSTRAINT api_keys_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_one_role
    CHECK ((establishment_id IS NOT NULL)::int + operator::int + reviewer::int = 1);
