-- In-progress runs and their work center's PRODUCTIVE rows open or ended today. $1 tenant,
-- $2 facility, $3 local day start, $4 now, $5 stall_minutes. A work center deleted by $4
-- (deleted_at <= now) counts nowhere here (README: Numbers). The productive rows are read
-- first (the facility's open rows and today's ends, as the down alerts read theirs), never a
-- work center's whole history.
-- Pre-filter (domain/job_alerts.py decides): the run last updated by $4, and the row lasting,
-- as of $4, at least the threshold less a second past the run's last update (and its start).
WITH productive AS MATERIALIZED (
    SELECT l.id, l.work_center_id, l.status_start, l.status_end
    FROM equipment_status_log l
    WHERE l.tenant_id = $1 AND l.facility_id = $2 AND l.status = 'PRODUCTIVE'
      -- + interval '0 s' keeps this bound off the work-center index: in a generic plan
      -- PostgreSQL 18 would skip-scan that whole index for it (README: Performance)
      AND l.status_start + interval '0 s' < $4 AND (l.status_end IS NULL OR l.status_end > $3)
)
SELECT r.id AS run_id, r.production_run_number, r.work_center_id, w.work_center_code,
       r.actual_start, r.updated_at, l.id AS log_id, l.status_start, l.status_end
FROM production_runs r
JOIN work_centers w ON w.id = r.work_center_id
JOIN productive l ON l.work_center_id = r.work_center_id
WHERE r.tenant_id = $1 AND r.facility_id = $2 AND r.status = 'IN_PROGRESS'
  AND r.actual_start IS NOT NULL AND r.updated_at IS NOT NULL
  AND (w.deleted_at IS NULL OR w.deleted_at > $4)
  AND r.updated_at <= $4
  AND least(coalesce(l.status_end, $4), $4)
      - greatest(r.updated_at, l.status_start, r.actual_start)
      >= make_interval(secs => greatest($5::float8 * 60 - 1, 0))
