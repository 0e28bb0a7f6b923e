-- The directory also tells each facility's shift pattern, so the monitor knows the plant's
-- production day (it starts at first_shift_start, plant-local): "today's OEE" on a night
-- shift after midnight is the production day that shift belongs to.
DROP FUNCTION floorwatch_directory();

CREATE FUNCTION floorwatch_directory()
    RETURNS TABLE (tenant_id uuid, tenant_code text, tenant_name text, facility_id uuid,
                   facility_code text, facility_name text, timezone text,
                   first_shift_start time, shift_length_hours integer)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT t.id, t.tenant_code, t.tenant_name, f.id, f.facility_code, f.facility_name,
               f.timezone, f.first_shift_start, f.shift_length_hours
        FROM tenants t LEFT JOIN facilities f ON f.tenant_id = t.id
        ORDER BY t.tenant_code, f.facility_code
    $$;
REVOKE ALL ON FUNCTION floorwatch_directory() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION floorwatch_directory() TO floorwatch_reader, floorwatch_writer;
