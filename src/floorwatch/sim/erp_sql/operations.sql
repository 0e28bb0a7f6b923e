-- production_runs.operation_id is NOT NULL in the ERP: one operation per tenant and kind of
-- work center, its id derived from both (the same on every run of the simulator).
INSERT INTO {erp}.operations (
    id, tenant_id, operation_code, operation_name, operation_type, created_at)
SELECT DISTINCT ON (s.tenant_id, s.work_center_type)
       md5(s.tenant_id::text || '/operation/' || s.work_center_type)::uuid, s.tenant_id,
       s.work_center_type, initcap(replace(s.work_center_type, '_', ' ')), s.work_center_type,
       s.created_at
FROM fw_erp_work_centers s
ORDER BY s.tenant_id, s.work_center_type, s.created_at
ON CONFLICT (tenant_id, operation_code) DO NOTHING
