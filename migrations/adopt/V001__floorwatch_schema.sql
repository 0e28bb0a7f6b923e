-- Adopting an ERP database (README: Run it on your ERP database). Everything floorwatch adds
-- lives in the schema `floorwatch` (created with the history table before this runs), owned by
-- the adopting login; the ERP's tables get nothing here. The objects carry the names they have
-- in floorwatch's own schema (migrations/V002, V005), so the monitor's connections, whose
-- search_path starts with `floorwatch` (db/pool.py), read them by the same unqualified names.
--
-- The boundary is not row-level security: enabling it on the ERP's tables would hide their
-- rows from the ERP's own non-owner roles. The monitor reads the views of V002, owned by the
-- adopting login, which admit a row only when its tenant is the transaction's current tenant
-- and is granted to session_user (floorwatch_login_tenants), as the native policies do.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'floorwatch_reader') THEN
        CREATE ROLE floorwatch_reader NOLOGIN;
    END IF;
END
$$;

-- The adopting login must be able to SET ROLE floorwatch_reader (superusers can anyway).
DO $$
BEGIN
    EXECUTE format('GRANT floorwatch_reader TO %I', current_user);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'could not grant floorwatch_reader to %: %', current_user, SQLERRM;
END
$$;

REVOKE ALL ON SCHEMA floorwatch FROM PUBLIC;
GRANT USAGE ON SCHEMA floorwatch TO floorwatch_reader;
GRANT SELECT ON floorwatch.floorwatch_schema_history TO floorwatch_reader;

CREATE FUNCTION floorwatch.floorwatch_current_tenant() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.current_tenant_id', true), '')::uuid $$;

-- Which tenants a login may see. No foreign key to the ERP's tenants: that would add
-- referential-integrity triggers to the ERP's table. A grant of a tenant deleted since
-- admits nothing.
CREATE TABLE floorwatch.floorwatch_login_tenants (
    login name NOT NULL,
    tenant_id uuid NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT now(),
    granted_by name NOT NULL DEFAULT session_user,
    PRIMARY KEY (login, tenant_id)
);
REVOKE ALL ON floorwatch.floorwatch_login_tenants FROM PUBLIC;

-- Every tenant for a login with the privileges of the grants table's owner (the adopting
-- login; superusers). There is no writer role here: the ERP writes its own tables.
CREATE FUNCTION floorwatch.floorwatch_session_sees_all_tenants() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = floorwatch, pg_temp
    AS $$
        SELECT pg_has_role(session_user,
                           (SELECT relowner FROM pg_class
                            WHERE oid = 'floorwatch.floorwatch_login_tenants'::regclass),
                           'USAGE')
    $$;

CREATE FUNCTION floorwatch.floorwatch_session_tenants() RETURNS uuid[]
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = floorwatch, pg_temp
    AS $$
        SELECT coalesce(array_agg(tenant_id), '{}')
        FROM floorwatch.floorwatch_login_tenants WHERE login = session_user
    $$;

REVOKE ALL ON FUNCTION floorwatch.floorwatch_session_sees_all_tenants() FROM PUBLIC;
REVOKE ALL ON FUNCTION floorwatch.floorwatch_session_tenants() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION floorwatch.floorwatch_session_sees_all_tenants(),
    floorwatch.floorwatch_session_tenants() TO floorwatch_reader;

-- Shift patterns per facility (the ERP has none). A facility without a row gets the ERP's
-- shifts when its work centers' operating_calendar tells them, else 3 x 8 h from 06:00
-- (V002's facilities view); `floorwatch check` reports that as an assumption until set.
CREATE TABLE floorwatch.shift_patterns (
    facility_id        uuid PRIMARY KEY,
    tenant_id          uuid NOT NULL,
    first_shift_start  time NOT NULL,
    shift_length_hours integer NOT NULL CHECK (shift_length_hours IN (6, 8, 12, 24)),
    set_at             timestamptz NOT NULL DEFAULT now(),
    set_by             name NOT NULL DEFAULT session_user
);
REVOKE ALL ON floorwatch.shift_patterns FROM PUBLIC;

-- V006's rule for a facility's timezone: an IANA zone name the server knows.
CREATE FUNCTION floorwatch.floorwatch_is_iana_timezone(name text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog
    AS $$
        SELECT name ~ '^(UTC|[A-Z][A-Za-z]+(/[A-Za-z0-9][A-Za-z0-9_+-]*){1,2})$'
           AND EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_names z WHERE z.name = $1)
    $$;
