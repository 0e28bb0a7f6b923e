INSERT INTO {erp}.work_centers (
    id, tenant_id, facility_id, work_center_code, work_center_name, work_center_type,
    production_rate_per_hour, status, is_active, deleted_at, created_at, updated_at)
SELECT s.id, s.tenant_id, s.facility_id, s.work_center_code, s.work_center_name,
       s.work_center_type, s.production_rate_per_hour, s.status, s.is_active, s.deleted_at,
       s.created_at, s.updated_at
FROM fw_erp_work_centers s
ON CONFLICT (id) DO UPDATE SET
    work_center_name = EXCLUDED.work_center_name,
    work_center_type = EXCLUDED.work_center_type,
    production_rate_per_hour = EXCLUDED.production_rate_per_hour,
    status = EXCLUDED.status, is_active = EXCLUDED.is_active, deleted_at = EXCLUDED.deleted_at,
    updated_at = EXCLUDED.updated_at
