-- $1 tenant, $2 facility, $3 completed since (now - 24 h), $4 now,
-- $5 work center id or NULL, $6 statuses or NULL, $7 limit
WITH picked AS (
    SELECT * FROM production_runs
    WHERE tenant_id = $1 AND facility_id = $2
      AND status IN ('SCHEDULED', 'IN_PROGRESS', 'PAUSED')
    UNION ALL
    SELECT * FROM production_runs
    WHERE tenant_id = $1 AND facility_id = $2 AND status = 'COMPLETED'
      AND actual_end >= $3 AND actual_end <= $4
)
SELECT r.id AS run_id, r.production_run_number, o.production_order_number,
       r.work_center_id, w.work_center_code, r.status, r.operator_name,
       r.scheduled_start, r.scheduled_end, r.actual_start, r.actual_end, r.quantity_planned,
       coalesce(r.quantity_good, 0) AS good, coalesce(r.quantity_scrap, 0) AS scrap,
       coalesce(r.quantity_rework, 0) AS rework
FROM picked r
JOIN work_centers w ON w.id = r.work_center_id
LEFT JOIN production_orders o ON o.id = r.production_order_id
WHERE ($5::uuid IS NULL OR r.work_center_id = $5)
  AND ($6::text[] IS NULL OR r.status = ANY ($6))
ORDER BY CASE r.status WHEN 'IN_PROGRESS' THEN 0 WHEN 'PAUSED' THEN 1
                       WHEN 'SCHEDULED' THEN 2 ELSE 3 END,
         CASE WHEN r.status = 'SCHEDULED' THEN r.scheduled_start END ASC,
         coalesce(r.actual_end, r.actual_start) DESC,
         r.production_run_number
LIMIT $7
