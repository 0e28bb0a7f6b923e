-- Tenants and facilities visible to choose from (SECURITY DEFINER function, see V002, V004).
SELECT tenant_id, tenant_code, tenant_name, facility_id, facility_code, facility_name, timezone,
       first_shift_start, shift_length_hours
FROM floorwatch_directory()
