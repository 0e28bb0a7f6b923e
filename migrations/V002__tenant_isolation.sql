-- Tenant isolation. The ERP wrote policies but never enabled them on these tables; here RLS is
-- ENABLEd and FORCEd on every tenant table, keyed on the per-transaction setting
-- app.current_tenant_id (set with set_config('app.current_tenant_id', id, true)).
-- An unset or empty setting matches no row.
--
-- Roles: floorwatch_reader (NOLOGIN, SELECT only) is what the monitor runs as (SET ROLE), and
-- floorwatch_writer (NOLOGIN) is what the simulator runs as. Superusers and table owners bypass
-- RLS, which is why the data layer always switches to one of these roles.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'floorwatch_reader') THEN
        CREATE ROLE floorwatch_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'floorwatch_writer') THEN
        CREATE ROLE floorwatch_writer NOLOGIN;
    END IF;
END
$$;

-- The migrating login must be able to SET ROLE to both (superusers can anyway).
DO $$
BEGIN
    EXECUTE format('GRANT floorwatch_reader, floorwatch_writer TO %I', current_user);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'could not grant floorwatch roles to %: %', current_user, SQLERRM;
END
$$;

GRANT USAGE ON SCHEMA public TO floorwatch_reader, floorwatch_writer;

GRANT SELECT ON tenants, facilities, users, work_centers, production_orders, production_runs,
    oee_calculations, equipment_status_log TO floorwatch_reader;

GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, facilities, users, work_centers,
    production_orders, production_runs, oee_calculations, equipment_status_log
    TO floorwatch_writer;

CREATE FUNCTION floorwatch_current_tenant() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.current_tenant_id', true), '')::uuid $$;

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
    USING (id = floorwatch_current_tenant())
    WITH CHECK (id = floorwatch_current_tenant());

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['facilities', 'users', 'work_centers', 'production_orders',
                             'production_runs', 'oee_calculations', 'equipment_status_log']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I '
            'USING (tenant_id = floorwatch_current_tenant()) '
            'WITH CHECK (tenant_id = floorwatch_current_tenant())', t);
    END LOOP;
END
$$;

-- Directory of tenants and facilities, for choosing one before a tenant is set (RLS would
-- otherwise hide them all). Only names, codes and timezones; no production data.
-- It runs as the owner; FORCE makes RLS apply to the owner too, so the owner gets a SELECT
-- policy on these two tables only.
DO $$
BEGIN
    EXECUTE format('CREATE POLICY owner_directory ON tenants FOR SELECT TO %I USING (true)',
                   current_user);
    EXECUTE format('CREATE POLICY owner_directory ON facilities FOR SELECT TO %I USING (true)',
                   current_user);
END
$$;
CREATE FUNCTION floorwatch_directory()
    RETURNS TABLE (tenant_id uuid, tenant_code text, tenant_name text, facility_id uuid,
                   facility_code text, facility_name text, timezone text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT t.id, t.tenant_code, t.tenant_name, f.id, f.facility_code, f.facility_name,
               f.timezone
        FROM tenants t LEFT JOIN facilities f ON f.tenant_id = t.id
        ORDER BY t.tenant_code, f.facility_code
    $$;
REVOKE ALL ON FUNCTION floorwatch_directory() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION floorwatch_directory() TO floorwatch_reader, floorwatch_writer;
