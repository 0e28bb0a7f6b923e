-- $1 tenant, $2 facility, $3 first date, $4 last date (inclusive), $5 work center id or NULL
-- A deleted work center's rows count for periods that started before its deleted_at (README:
-- Numbers): history keeps it, nothing after the deletion does.
SELECT o.work_center_id, w.work_center_code, o.calculation_date, o.shift,
       o.period_start, o.period_end,
       o.planned_production_time AS planned_minutes, o.runtime AS runtime_minutes,
       o.total_pieces_produced AS produced, o.good_pieces AS oee_good,
       o.ideal_cycle_time_seconds * o.total_pieces_produced AS ideal_seconds,
       o.target_oee_percentage
FROM oee_calculations o
JOIN work_centers w ON w.id = o.work_center_id
WHERE o.tenant_id = $1 AND o.facility_id = $2
  AND o.calculation_date BETWEEN $3 AND $4
  AND ($5::uuid IS NULL OR o.work_center_id = $5)
  AND (w.deleted_at IS NULL OR o.period_start < w.deleted_at)
ORDER BY w.work_center_code, o.period_start
