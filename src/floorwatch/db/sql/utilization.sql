-- $1 tenant, $2 facility, $3 local day start, $4 now
-- A work center deleted by $4 (deleted_at <= now) counts nowhere here (README: Numbers).
WITH current_state AS (
    SELECT DISTINCT ON (work_center_id)
           work_center_id, status, status_start, reason_code, reason_description
    FROM equipment_status_log
    WHERE tenant_id = $1 AND facility_id = $2 AND status_end IS NULL
    ORDER BY work_center_id, status_start DESC
), today AS (
    -- each interval clipped to [day start, now]
    SELECT work_center_id, status,
           sum(extract(epoch FROM least(coalesce(status_end, $4), $4)
                               - greatest(status_start, $3))) / 60 AS minutes
    FROM equipment_status_log
    WHERE tenant_id = $1 AND facility_id = $2
      -- + interval '0 s' keeps this bound off the work-center index: in a generic plan
      -- PostgreSQL 18 would skip-scan that whole index for it (README: Performance)
      AND status_start + interval '0 s' < $4 AND (status_end IS NULL OR status_end > $3)
    GROUP BY work_center_id, status
), minutes AS (
    SELECT work_center_id,
           coalesce(sum(minutes) FILTER (WHERE status = 'PRODUCTIVE'), 0) AS productive_minutes,
           coalesce(sum(minutes) FILTER (WHERE status = 'NON_PRODUCTIVE_SETUP'), 0) AS setup_minutes,
           coalesce(sum(minutes) FILTER (WHERE status IN ('NON_PRODUCTIVE_BREAKDOWN',
               'NON_PRODUCTIVE_NO_OPERATOR', 'NON_PRODUCTIVE_NO_MATERIAL')), 0) AS down_minutes,
           coalesce(sum(minutes) FILTER (WHERE status = 'NON_PRODUCTIVE_PLANNED_DOWNTIME'), 0)
               AS planned_down_minutes
    FROM today
    GROUP BY work_center_id
), current_run AS (
    SELECT DISTINCT ON (r.work_center_id)
           r.work_center_id, r.id AS run_id, r.production_run_number,
           -- a lookup, not a join (see run_summaries.sql)
           (SELECT o.production_order_number FROM production_orders o
            WHERE o.id = r.production_order_id) AS production_order_number,
           r.status AS run_status, r.actual_start, r.scheduled_end, r.quantity_planned,
           r.quantity_good IS NOT NULL AS good_counted, coalesce(r.quantity_good, 0) AS good, coalesce(r.quantity_scrap, 0) AS scrap,
           coalesce(r.quantity_rework, 0) AS rework
    FROM production_runs r
    WHERE r.tenant_id = $1 AND r.facility_id = $2 AND r.status IN ('IN_PROGRESS', 'PAUSED')
    ORDER BY r.work_center_id, r.actual_start DESC
)
SELECT w.id AS work_center_id, w.work_center_code, w.work_center_name, w.is_active,
       s.status AS state, s.status_start AS state_since, s.reason_code, s.reason_description,
       coalesce(m.productive_minutes, 0) AS productive_minutes,
       coalesce(m.setup_minutes, 0) AS setup_minutes,
       coalesce(m.down_minutes, 0) AS down_minutes,
       coalesce(m.planned_down_minutes, 0) AS planned_down_minutes,
       cr.run_id, cr.production_run_number, cr.production_order_number, cr.run_status,
       cr.actual_start, cr.scheduled_end, cr.quantity_planned, cr.good_counted, cr.good,
       cr.scrap, cr.rework,
       -- the run's productive seconds so far (time to finish, README: Numbers): its work
       -- center's PRODUCTIVE rows clipped to [actual_start, now], looked up on the work
       -- center's index by start time from a day before the run (a row open at the run's
       -- start began before it; an unbounded lookup behind an adopted database's
       -- security_barrier views read the work center's whole history); a productive row open
       -- since before that is the current state s
       coalesce((SELECT sum(greatest(0, extract(epoch FROM least(coalesce(l.status_end, $4), $4)
                                                   - greatest(l.status_start, cr.actual_start))))
                 FROM equipment_status_log l
                 WHERE l.work_center_id = cr.work_center_id AND l.status = 'PRODUCTIVE'
                   AND l.status_start >= cr.actual_start - interval '1 day'
                   AND l.status_start < $4
                   AND (l.status_end IS NULL OR l.status_end > cr.actual_start)), 0)
       + CASE WHEN s.status = 'PRODUCTIVE' AND s.status_start < cr.actual_start - interval '1 day'
              THEN greatest(0, extract(epoch FROM $4 - cr.actual_start)) ELSE 0 END
           AS productive_seconds
FROM work_centers w
LEFT JOIN current_state s ON s.work_center_id = w.id
LEFT JOIN minutes m ON m.work_center_id = w.id
LEFT JOIN current_run cr ON cr.work_center_id = w.id
WHERE w.tenant_id = $1 AND w.facility_id = $2 AND (w.deleted_at IS NULL OR w.deleted_at > $4)
ORDER BY w.work_center_code
