-- Runs with a scheduled end: in progress, and completed today. $1 tenant, $2 facility, $3 local
-- day start, $4 now. A work center deleted by $4 (deleted_at <= now) counts nowhere here
-- (README: Numbers). Pre-filter (domain/job_alerts.py decides, by domain/finish.py): an
-- in-progress run with pieces planned, a count of good pieces and some still to make (else
-- its finish is unknown or done, never late); a completed one that ended after its scheduled
-- end.
WITH picked AS (
    SELECT * FROM production_runs
    WHERE tenant_id = $1 AND facility_id = $2 AND status = 'IN_PROGRESS'
    UNION ALL
    SELECT * FROM production_runs
    WHERE tenant_id = $1 AND facility_id = $2 AND status = 'COMPLETED'
      AND actual_end >= $3 AND actual_end <= $4
), open_productive AS MATERIALIZED (
    -- the facility's open PRODUCTIVE rows (a few dozen, by equipment_status_log_open_idx),
    -- read once: looked up per run, the planner ANDed the open index with the work center
    -- index and walked each work center's whole history (8 of 13 ms at 10x)
    SELECT work_center_id, status_start FROM equipment_status_log
    WHERE tenant_id = $1 AND facility_id = $2 AND status_end IS NULL AND status = 'PRODUCTIVE'
)
SELECT r.id AS run_id, r.production_run_number, r.work_center_id, w.work_center_code,
       r.status, r.scheduled_end, r.actual_start, r.actual_end, r.quantity_planned,
       r.quantity_good AS good,
       -- an in-progress run's productive seconds so far (time to finish), as in
       -- run_summaries.sql: its work center's PRODUCTIVE rows clipped to [actual_start, now],
       -- by start time from a day before the run, and a productive row open since before that
       CASE WHEN r.status = 'IN_PROGRESS' THEN
           coalesce((SELECT sum(greatest(0, extract(epoch FROM
                                    least(coalesce(l.status_end, $4), $4)
                                    - greatest(l.status_start, r.actual_start))))
                     FROM equipment_status_log l
                     WHERE l.work_center_id = r.work_center_id AND l.status = 'PRODUCTIVE'
                       AND l.status_start >= r.actual_start - interval '1 day'
                       AND l.status_start < $4
                       AND (l.status_end IS NULL OR l.status_end > r.actual_start)), 0)
           + coalesce((SELECT greatest(0, extract(epoch FROM $4 - r.actual_start))
                       FROM open_productive l
                       WHERE l.work_center_id = r.work_center_id
                         AND l.status_start < r.actual_start - interval '1 day'
                       LIMIT 1), 0)
       END AS productive_seconds
FROM picked r
JOIN work_centers w ON w.id = r.work_center_id
WHERE r.scheduled_end IS NOT NULL AND r.actual_start IS NOT NULL
  AND (w.deleted_at IS NULL OR w.deleted_at > $4)
  AND ((r.status = 'IN_PROGRESS' AND r.quantity_planned > 0 AND r.quantity_good IS NOT NULL
        AND r.quantity_good < r.quantity_planned)
       OR (r.status = 'COMPLETED' AND r.actual_end > r.scheduled_end))
