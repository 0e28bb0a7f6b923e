-- Tenants and facilities visible to choose from (SECURITY DEFINER function, see V002).
SELECT tenant_id, tenant_code, tenant_name, facility_id, facility_code, facility_name, timezone
FROM floorwatch_directory()
