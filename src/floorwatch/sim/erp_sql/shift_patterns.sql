-- The ERP has no shift pattern: the simulated facility's is floorwatch's own setting
-- (floorwatch.shift_patterns, written only when the schema floorwatch exists).
INSERT INTO floorwatch.shift_patterns (facility_id, tenant_id, first_shift_start, shift_length_hours)
SELECT s.id, s.tenant_id, s.first_shift_start, s.shift_length_hours
FROM fw_erp_facilities s
ON CONFLICT (facility_id) DO NOTHING
