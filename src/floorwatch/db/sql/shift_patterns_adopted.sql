-- Each facility's shift pattern on an adopted ERP database: the row in floorwatch.shift_patterns,
-- or none (the pattern is then assumed). Run with search_path = the ERP's schema, so `tenants`
-- and `facilities` are the ERP's own tables (an administrator sees every tenant); facilities the
-- ERP deleted are left out, as floorwatch's facilities view leaves them out.
SELECT t.id AS tenant_id, t.tenant_code, f.id AS facility_id, f.facility_code,
       p.first_shift_start, p.shift_length_hours, p.facility_id IS NOT NULL AS is_set,
       p.set_at, p.set_by
FROM facilities f
JOIN tenants t ON t.id = f.tenant_id
LEFT JOIN floorwatch.shift_patterns p ON p.facility_id = f.id
WHERE f.deleted_at IS NULL
ORDER BY t.tenant_code, f.facility_code
