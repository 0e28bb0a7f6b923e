-- Which tenants a login may see. Until now row-level security was keyed only on
-- app.current_tenant_id, a setting the client chooses, and floorwatch_directory() listed every
-- tenant: any login that could act as floorwatch_reader could read every tenant.
--
-- The boundary, from here on (README: Security):
-- - floorwatch_login_tenants records which tenants a login (session_user) may see. Only its
--   owner (the migrating login) and superusers may change it, with `floorwatch grant` or plain
--   INSERT / DELETE; the reader and writer roles get no privilege on it.
-- - A RESTRICTIVE policy for floorwatch_reader on each of the eight tables admits a row only
--   when its tenant is granted to session_user, whatever app.current_tenant_id says (the
--   existing tenant_isolation policy still requires it to be the current tenant). It applies
--   to SET ROLE floorwatch_reader and to logins that inherit its privileges alike.
--   session_user, not current_user: the monitor does SET LOCAL ROLE floorwatch_reader, which
--   changes current_user, not the login.
-- - floorwatch_directory() lists only the tenants granted to session_user.
-- - A login sees every tenant when it has the privileges of this table's owner (the migrating
--   login; every superuser, so the embedded demo too) or may act as floorwatch_writer: a
--   writer can set any tenant and read its rows through the writer role anyway, so hiding them
--   from its directory would protect nothing (and the simulator needs the full list).
-- - floorwatch_writer's policies are unchanged.
--
-- Also: floorwatch_reader may read floorwatch_schema_history, so that `floorwatch check` works
-- for the monitor's own login.

CREATE TABLE floorwatch_login_tenants (
    login name NOT NULL,
    tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    granted_at timestamptz NOT NULL DEFAULT now(),
    granted_by name NOT NULL DEFAULT session_user,
    PRIMARY KEY (login, tenant_id)
);
REVOKE ALL ON floorwatch_login_tenants FROM PUBLIC;

-- Whether session_user sees every tenant (see above). SECURITY DEFINER, so it can read the
-- catalog as the owner; it tells the caller only about its own login.
CREATE FUNCTION floorwatch_session_sees_all_tenants() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT pg_has_role(session_user,
                           (SELECT relowner FROM pg_class
                            WHERE oid = 'floorwatch_login_tenants'::regclass),
                           'USAGE')
            OR pg_has_role(session_user, 'floorwatch_writer', 'MEMBER')
    $$;

-- The tenants granted to session_user (an array: the policies evaluate it once per query).
CREATE FUNCTION floorwatch_session_tenants() RETURNS uuid[]
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT coalesce(array_agg(tenant_id), '{}')
        FROM floorwatch_login_tenants WHERE login = session_user
    $$;

REVOKE ALL ON FUNCTION floorwatch_session_sees_all_tenants() FROM PUBLIC;
REVOKE ALL ON FUNCTION floorwatch_session_tenants() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION floorwatch_session_sees_all_tenants(), floorwatch_session_tenants()
    TO floorwatch_reader, floorwatch_writer;

-- The restrictive policy checks each row's own tenant (not app.current_tenant_id, which the
-- client chooses). The sub-SELECTs make each term an InitPlan, computed once per query rather
-- than once per row. It also applies inside floorwatch_directory() when the owner is not a
-- superuser (the owner is a member of floorwatch_reader), where it admits the same tenants as
-- the directory's own filter, which is what a superuser owner (bypassing RLS) relies on.
DO $$
DECLARE
    t text;
    col text;
BEGIN
    FOREACH t IN ARRAY ARRAY['tenants', 'facilities', 'users', 'work_centers',
                             'production_orders', 'production_runs', 'oee_calculations',
                             'equipment_status_log']
    LOOP
        col := CASE WHEN t = 'tenants' THEN 'id' ELSE 'tenant_id' END;
        EXECUTE format(
            'CREATE POLICY login_tenants ON %I AS RESTRICTIVE FOR SELECT TO floorwatch_reader '
            'USING ((SELECT floorwatch_session_sees_all_tenants()) '
            '       OR %I = ANY ((SELECT floorwatch_session_tenants())::uuid[]))', t, col);
    END LOOP;
END
$$;

-- Same signature and result as V004's, so grants on it stay; only the tenants granted to
-- session_user (all of them for the owner, a superuser or a writer).
CREATE OR REPLACE FUNCTION floorwatch_directory()
    RETURNS TABLE (tenant_id uuid, tenant_code text, tenant_name text, facility_id uuid,
                   facility_code text, facility_name text, timezone text,
                   first_shift_start time, shift_length_hours integer)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT t.id, t.tenant_code, t.tenant_name, f.id, f.facility_code, f.facility_name,
               f.timezone, f.first_shift_start, f.shift_length_hours
        FROM tenants t LEFT JOIN facilities f ON f.tenant_id = t.id
        WHERE floorwatch_session_sees_all_tenants() OR t.id = ANY (floorwatch_session_tenants())
        ORDER BY t.tenant_code, f.facility_code
    $$;

GRANT SELECT ON floorwatch_schema_history TO floorwatch_reader;
