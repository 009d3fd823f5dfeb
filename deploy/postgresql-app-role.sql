-- What the application's database role may do: read and write rows, and nothing a table's owner can.
--
-- The tables belong to the role that runs `manage.py migrate` (owner_role). The web and worker processes
-- connect as app_role, which owns nothing: it cannot ALTER a table, switch its triggers off or TRUNCATE it, and on
-- the audit trail it may only read and append. Run this as owner_role after every `migrate` (it is idempotent):
--
--   psql "$OWNER_DATABASE_URL" -v ON_ERROR_STOP=1 -v app_role=socialgov_app -v owner_role=socialgov_owner \
--        -f deploy/postgresql-app-role.sql
--
-- tests/core/test_audit_database_roles.py applies these statements as written and checks what they refuse.

GRANT USAGE ON SCHEMA public TO :"app_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
REVOKE UPDATE, DELETE, TRUNCATE ON socialgov_auditevent FROM :"app_role";

-- Tables and sequences a later migration creates get the same grants.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"app_role";
