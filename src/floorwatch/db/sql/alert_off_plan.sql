-- Work centers off the plan (README: Numbers, Alerts): their equipment and OEE alerts are
-- snoozed. $1 tenant, $2 facility, $3 now, $4 / $5 the running shift's start / end.
-- Off the plan: a planned-downtime row of it covers $3, or it has no scheduled work, i.e. no
-- open run (IN_PROGRESS, PAUSED) and no SCHEDULED run whose schedule meets the shift (one
-- without a scheduled start counts as work: its plan is not known). A work center deleted by
-- $3 counts nowhere here.
WITH stopped AS (
    SELECT DISTINCT work_center_id
    FROM equipment_status_log
    WHERE tenant_id = $1 AND facility_id = $2
      AND status = 'NON_PRODUCTIVE_PLANNED_DOWNTIME'
      -- + interval '0 s' keeps this bound off the work-center index: in a generic plan
      -- PostgreSQL 18 would skip-scan that whole index for it (README: Performance)
      AND status_start + interval '0 s' <= $3 AND (status_end IS NULL OR status_end > $3)
), working AS (
    SELECT DISTINCT work_center_id
    FROM production_runs
    WHERE tenant_id = $1 AND facility_id = $2
      AND (status IN ('IN_PROGRESS', 'PAUSED')
           OR (status = 'SCHEDULED'
               AND (scheduled_start IS NULL OR scheduled_start < $5)
               AND (scheduled_end IS NULL OR scheduled_end > $4)))
)
SELECT w.id AS work_center_id, s.work_center_id IS NOT NULL AS planned_stop
FROM work_centers w
LEFT JOIN stopped s ON s.work_center_id = w.id
LEFT JOIN working k ON k.work_center_id = w.id
WHERE w.tenant_id = $1 AND w.facility_id = $2
  AND (w.deleted_at IS NULL OR w.deleted_at > $3)
  AND (s.work_center_id IS NOT NULL OR k.work_center_id IS NULL)
