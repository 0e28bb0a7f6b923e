-- The run number is unique across the ERP (not per tenant or work center): prefixed with the
-- tenant and facility codes (once: a resumed run keeps its number). The operation is the one
-- of the work center's kind (operations.sql).
INSERT INTO {erp}.production_runs (
    id, tenant_id, facility_id, production_run_number, production_order_id, work_center_id,
    operation_id, operator_user_id, operator_name, scheduled_start, scheduled_end,
    actual_start, actual_end, quantity_planned, quantity_good, quantity_scrap, quantity_rework,
    setup_time_minutes, run_time_minutes, downtime_minutes, status, created_at, updated_at)
SELECT s.id, s.tenant_id, s.facility_id,
       CASE WHEN starts_with(s.production_run_number, t.tenant_code || '-' || f.facility_code || '-')
            THEN s.production_run_number
            ELSE t.tenant_code || '-' || f.facility_code || '-' || s.production_run_number END,
       s.production_order_id, s.work_center_id,
       md5(s.tenant_id::text || '/operation/' || w.work_center_type)::uuid,
       s.operator_user_id, s.operator_name, s.scheduled_start, s.scheduled_end,
       s.actual_start, s.actual_end, s.quantity_planned, s.quantity_good, s.quantity_scrap,
       s.quantity_rework, s.setup_time_minutes, s.run_time_minutes, s.downtime_minutes,
       s.status, s.created_at, s.updated_at
FROM fw_erp_production_runs s
JOIN {erp}.tenants t ON t.id = s.tenant_id
JOIN {erp}.facilities f ON f.id = s.facility_id
JOIN {erp}.work_centers w ON w.id = s.work_center_id
ON CONFLICT (id) DO UPDATE SET
    operator_user_id = EXCLUDED.operator_user_id, operator_name = EXCLUDED.operator_name,
    scheduled_start = EXCLUDED.scheduled_start, scheduled_end = EXCLUDED.scheduled_end,
    actual_start = EXCLUDED.actual_start, actual_end = EXCLUDED.actual_end,
    quantity_planned = EXCLUDED.quantity_planned, quantity_good = EXCLUDED.quantity_good,
    quantity_scrap = EXCLUDED.quantity_scrap, quantity_rework = EXCLUDED.quantity_rework,
    setup_time_minutes = EXCLUDED.setup_time_minutes,
    run_time_minutes = EXCLUDED.run_time_minutes, downtime_minutes = EXCLUDED.downtime_minutes,
    status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
