-- The shift rows of the last two closed shifts, summed per work center and shift: $1 tenant,
-- $2 facility, $3 start of the shift before the last closed one, $4 start of the last closed
-- shift (the end of the one before), $5 its end, $6 now, $7 first and $8 last calculation_date
-- of the two (the index's bound), $9 no_output_min_planned_minutes. A shift's rows are those
-- whose period lies in it (starts in it and ends by its end: a whole day's row is no shift's).
-- A work center deleted by $6 (deleted_at <= now) counts nowhere here (README: Numbers).
-- Pre-filter (domain/job_alerts.py decides): nothing produced, something planned, at least
-- the minimum less a millionth (a superset of what the rule accepts).
SELECT o.work_center_id, w.work_center_code, o.period_start >= $4 AS last_closed,
       sum(o.planned_production_time) AS planned_minutes,
       sum(o.total_pieces_produced) AS produced
FROM oee_calculations o
JOIN work_centers w ON w.id = o.work_center_id
WHERE o.tenant_id = $1 AND o.facility_id = $2 AND o.calculation_date BETWEEN $7 AND $8
  AND o.period_start >= $3 AND o.period_start < $5
  AND o.period_end <= CASE WHEN o.period_start >= $4 THEN $5 ELSE $4 END
  AND (w.deleted_at IS NULL OR w.deleted_at > $6)
GROUP BY o.work_center_id, w.work_center_code, 3
HAVING sum(o.total_pieces_produced) = 0 AND sum(o.planned_production_time) > 0
   AND sum(o.planned_production_time) >= $9::numeric * 0.999999
