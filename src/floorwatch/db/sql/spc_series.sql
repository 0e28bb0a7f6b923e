-- SPC series (domain/spc.py): each work center's last $5 closed OEE rows (period_end <= $4),
-- oldest first. $1 tenant, $2 facility, $3 first calculation_date read (the index's bound),
-- $4 now, $5 spc_shifts. A work center deleted by $4 counts nowhere here (README: Numbers).
WITH ranked AS (
    SELECT o.work_center_id, w.work_center_code, o.period_end,
           o.planned_production_time AS planned_minutes, o.runtime AS runtime_minutes,
           o.total_pieces_produced AS produced, o.good_pieces AS oee_good,
           o.ideal_cycle_time_seconds * o.total_pieces_produced AS ideal_seconds,
           row_number() OVER (PARTITION BY o.work_center_id ORDER BY o.period_end DESC,
                                                                    o.period_start DESC) AS n
    FROM oee_calculations o
    JOIN work_centers w ON w.id = o.work_center_id
    WHERE o.tenant_id = $1 AND o.facility_id = $2
      AND o.calculation_date >= $3
      AND o.period_end <= $4
      AND (w.deleted_at IS NULL OR w.deleted_at > $4)
)
SELECT work_center_id, work_center_code, period_end, planned_minutes, runtime_minutes,
       produced, oee_good, ideal_seconds
FROM ranked
WHERE n <= $5
ORDER BY work_center_id, period_end, n DESC
