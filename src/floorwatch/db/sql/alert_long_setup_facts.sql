-- Setups (NON_PRODUCTIVE_SETUP rows) open or ended today, and the usual setup of their work
-- center's type. $1 tenant, $2 facility, $3 local day start, $4 now, $5 / $6 / $7 the usual
-- setups (db/sql/setup_usual.sql, read once a day): types, median seconds, past setups;
-- $8 setup_min_past, $9 setup_factor. A work center deleted by $4 (deleted_at <= now) counts
-- nowhere here (README: Numbers).
-- Pre-filter (domain/job_alerts.py decides): at least the minimum of past setups, a usual
-- above 0, and the setup lasting, as of $4, at least factor x usual less a second.
WITH setups AS MATERIALIZED (
    SELECT l.id AS log_id, l.work_center_id, w.work_center_code, w.work_center_type,
           l.status_start, l.status_end, l.reason_description
    FROM equipment_status_log l
    JOIN work_centers w ON w.id = l.work_center_id
    WHERE l.tenant_id = $1 AND l.facility_id = $2 AND l.status = 'NON_PRODUCTIVE_SETUP'
      -- + interval '0 s' keeps this bound off the work-center index: in a generic plan
      -- PostgreSQL 18 would skip-scan that whole index for it (README: Performance)
      AND l.status_start + interval '0 s' < $4 AND (l.status_end IS NULL OR l.status_end > $3)
      AND (w.deleted_at IS NULL OR w.deleted_at > $4)
), usual AS (
    SELECT * FROM unnest($5::text[], $6::numeric[], $7::integer[])
        AS u (work_center_type, usual_seconds, past_setups)
)
SELECT s.log_id, s.work_center_id, s.work_center_code, s.work_center_type, s.status_start,
       s.status_end, s.reason_description, u.usual_seconds, u.past_setups
FROM setups s
JOIN usual u ON u.work_center_type = s.work_center_type
WHERE u.past_setups >= $8 AND u.usual_seconds > 0
  AND least(coalesce(s.status_end, $4), $4) - s.status_start
      >= make_interval(secs => greatest(u.usual_seconds::float8 * $9::float8 - 1, 0))
