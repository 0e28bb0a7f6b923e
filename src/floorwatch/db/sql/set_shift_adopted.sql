-- Set a facility's shift pattern on an adopted ERP database (floorwatch's own table; the ERP's
-- rows are not touched). Returns the facility's id.
INSERT INTO floorwatch.shift_patterns (facility_id, tenant_id, first_shift_start,
                                       shift_length_hours)
VALUES ($1, $4, $2, $3)
ON CONFLICT (facility_id) DO UPDATE
    SET tenant_id = EXCLUDED.tenant_id, first_shift_start = EXCLUDED.first_shift_start,
        shift_length_hours = EXCLUDED.shift_length_hours, set_at = now(), set_by = session_user
RETURNING facility_id
