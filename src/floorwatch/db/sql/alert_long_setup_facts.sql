-- Setups (NON_PRODUCTIVE_SETUP rows) open or ended today, and the usual setup of their work
-- center's type. $1 tenant, $2 facility, $3 local day start, $4 now, $5 start of the history
-- window (plant-local midnight setup_history_days before $3), $6 setup_min_past, $7
-- setup_factor. A work center deleted by $4 (deleted_at <= now) counts nowhere here (README:
-- Numbers); its setups before its deletion stay history of its type.
-- The usual: the median length (seconds) of the type's setups (in this facility) that ended in
-- [$5, $3): fixed for the whole day. Looked up once per type that has a setup today, never
-- for a plant without one.
-- Pre-filter (domain/job_alerts.py decides): at least the minimum of past setups, a usual
-- above 0, and the setup lasting, as of $4, at least factor x usual less a second.
WITH setups AS MATERIALIZED (
    SELECT l.id AS log_id, l.work_center_id, w.work_center_code, w.work_center_type,
           l.status_start, l.status_end, l.reason_description
    FROM equipment_status_log l
    JOIN work_centers w ON w.id = l.work_center_id
    WHERE l.tenant_id = $1 AND l.facility_id = $2 AND l.status = 'NON_PRODUCTIVE_SETUP'
      AND l.status_start < $4 AND (l.status_end IS NULL OR l.status_end > $3)
      AND (w.deleted_at IS NULL OR w.deleted_at > $4)
), usual AS (
    SELECT t.work_center_type, h.usual_seconds, h.past_setups
    FROM (SELECT DISTINCT work_center_type FROM setups) t
    CROSS JOIN LATERAL (
        SELECT percentile_cont(0.5) WITHIN GROUP (
                   ORDER BY extract(epoch FROM p.status_end - p.status_start)::float8
               )::numeric AS usual_seconds,
               count(*)::integer AS past_setups
        FROM equipment_status_log p
        JOIN work_centers v ON v.id = p.work_center_id
        WHERE p.tenant_id = $1 AND p.facility_id = $2 AND p.status = 'NON_PRODUCTIVE_SETUP'
          AND p.status_end >= $5 AND p.status_end < $3
          AND v.work_center_type = t.work_center_type
          AND (v.deleted_at IS NULL OR p.status_start < v.deleted_at)
    ) h
)
SELECT s.log_id, s.work_center_id, s.work_center_code, s.work_center_type, s.status_start,
       s.status_end, s.reason_description, u.usual_seconds, u.past_setups
FROM setups s
JOIN usual u ON u.work_center_type = s.work_center_type
WHERE u.past_setups >= $6 AND u.usual_seconds > 0
  AND least(coalesce(s.status_end, $4), $4) - s.status_start
      >= make_interval(secs => greatest(u.usual_seconds::float8 * $7::float8 - 1, 0))
