-- Runs scheduled to start. $1 tenant, $2 facility, $3 local day start, $4 now,
-- $5 late_start_minutes. A work center deleted by $4 (deleted_at <= now) counts nowhere here
-- (README: Numbers). The runs: those still waiting (SCHEDULED, or started after $4 on a
-- replayed clock) and those that started today (open, or completed today).
-- Pre-filter (domain/job_alerts.py decides): a waiting run scheduled at least the threshold
-- (less a second) before $4, a started one that started at least the threshold less a second
-- after its scheduled start (a superset of what the rule accepts).
WITH picked AS (
    SELECT * FROM production_runs
    WHERE tenant_id = $1 AND facility_id = $2 AND status IN ('SCHEDULED', 'IN_PROGRESS', 'PAUSED')
    UNION ALL
    SELECT * FROM production_runs
    WHERE tenant_id = $1 AND facility_id = $2 AND status = 'COMPLETED'
      AND actual_end >= $3 AND actual_end <= $4
)
SELECT r.id AS run_id, r.production_run_number, r.work_center_id, w.work_center_code,
       r.status, r.scheduled_start, r.actual_start
FROM picked r
JOIN work_centers w ON w.id = r.work_center_id
WHERE r.scheduled_start IS NOT NULL
  AND (w.deleted_at IS NULL OR w.deleted_at > $4)
  AND (((r.actual_start IS NULL OR r.actual_start > $4)
        AND $4 - r.scheduled_start >= make_interval(secs => greatest($5::float8 * 60 - 1, 0)))
       OR (r.actual_start >= $3 AND r.actual_start <= $4
           AND r.actual_start - r.scheduled_start
               >= make_interval(secs => greatest($5::float8 * 60 - 1, 0))))
