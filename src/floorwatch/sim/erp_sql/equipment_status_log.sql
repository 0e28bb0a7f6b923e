-- status and previous_status cut to the columns' widths ($1, $2: read from the catalogue when
-- the writer starts), as an ERP client that truncates writes them into VARCHAR(20);
-- whole once `migrate --fix-erp-status` has widened the columns.
INSERT INTO {erp}.equipment_status_log (
    id, tenant_id, facility_id, work_center_id, status, previous_status, status_start,
    status_end, duration_minutes, production_run_id, reason_code, reason_description,
    logged_by_system, created_at)
SELECT s.id, s.tenant_id, s.facility_id, s.work_center_id, left(s.status, $1),
       left(s.previous_status, $2), s.status_start, s.status_end,
       round(extract(epoch FROM s.status_end - s.status_start) / 60, 2),
       s.production_run_id, s.reason_code, s.reason_description, true, s.created_at
FROM fw_erp_equipment_status_log s
ON CONFLICT (id) DO UPDATE SET
    status = EXCLUDED.status, previous_status = EXCLUDED.previous_status,
    status_end = EXCLUDED.status_end, duration_minutes = EXCLUDED.duration_minutes,
    production_run_id = EXCLUDED.production_run_id, reason_code = EXCLUDED.reason_code,
    reason_description = EXCLUDED.reason_description
