-- Each facility's shift pattern on floorwatch's own schema: its facilities columns (V001, V004),
-- as the directory gives them to this login (every tenant for the owner or a superuser).
SELECT tenant_id, tenant_code, facility_id, facility_code, first_shift_start,
       shift_length_hours, true AS is_set, NULL::timestamptz AS set_at, NULL::name AS set_by
FROM floorwatch_directory()
WHERE facility_id IS NOT NULL
ORDER BY tenant_code, facility_code
