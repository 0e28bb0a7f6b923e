-- Breakdowns and waits overlapping today. $1 tenant, $2 facility, $3 local day start, $4 now,
-- A work center deleted by $4 (deleted_at <= now) counts nowhere here (README: Numbers).
-- $5 wait_warning_minutes. Pre-filter (domain/alerts.py decides): waits still open as of $4
-- (pending or firing), or that lasted at least the threshold less a second (a superset of
-- what the rule accepts).
SELECT l.id AS log_id, l.work_center_id, w.work_center_code, l.status, l.status_start,
       l.status_end, l.reason_description
FROM equipment_status_log l
JOIN work_centers w ON w.id = l.work_center_id
WHERE l.tenant_id = $1 AND l.facility_id = $2
  AND (w.deleted_at IS NULL OR w.deleted_at > $4)
  AND l.status IN ('NON_PRODUCTIVE_BREAKDOWN', 'NON_PRODUCTIVE_NO_OPERATOR',
                   'NON_PRODUCTIVE_NO_MATERIAL')
  -- + interval '0 s' keeps this bound off the work-center index: in a generic plan
  -- PostgreSQL 18 would skip-scan that whole index for it (README: Performance)
  AND l.status_start + interval '0 s' < $4 AND (l.status_end IS NULL OR l.status_end > $3)
  AND (l.status = 'NON_PRODUCTIVE_BREAKDOWN'
       OR l.status_end IS NULL OR l.status_end > $4
       OR least(coalesce(l.status_end, $4), $4) - l.status_start
          >= make_interval(secs => greatest($5::float8 * 60 - 1, 0)))
