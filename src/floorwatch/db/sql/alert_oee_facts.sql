-- Shift rows of the production day. $1 tenant, $2 facility, $3 production day, $4 now
SELECT o.work_center_id, w.work_center_code, o.calculation_date, o.shift,
       o.period_start, o.period_end,
       o.planned_production_time AS planned_minutes, o.runtime AS runtime_minutes,
       o.total_pieces_produced AS produced, o.good_pieces AS oee_good,
       o.ideal_cycle_time_seconds * o.total_pieces_produced AS ideal_seconds,
       o.target_oee_percentage
FROM oee_calculations o
JOIN work_centers w ON w.id = o.work_center_id
WHERE o.tenant_id = $1 AND o.facility_id = $2 AND o.calculation_date = $3
  AND o.period_start <= $4
