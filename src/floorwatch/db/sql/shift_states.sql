-- $1 tenant, $2 facility, $3 window start, $4 window end as of now (min(end, now)), $5 now,
-- $6 small-stop threshold (seconds). A window's status minutes per work center, state and
-- reason, each row clipped to [$3, $4) (an open row ends at now). An unplanned stop shorter
-- than the threshold (by its whole length, an open one by its length so far) is small.
-- A work center deleted by $4 counts nowhere (a closed window keeps those deleted after it).
WITH gone AS (
    SELECT id FROM work_centers
    WHERE tenant_id = $1 AND facility_id = $2 AND deleted_at <= $4
)
SELECT l.work_center_id, l.status,
       nullif(btrim(l.reason_code), '') AS reason_code,
       min(l.reason_description) AS reason_description,
       (l.status IN ('NON_PRODUCTIVE_BREAKDOWN', 'NON_PRODUCTIVE_NO_OPERATOR',
                     'NON_PRODUCTIVE_NO_MATERIAL')
        AND extract(epoch FROM coalesce(l.status_end, $5) - l.status_start) < $6) AS small,
       sum(extract(epoch FROM least(coalesce(l.status_end, $5), $4)
                              - greatest(l.status_start, $3)) / 60) AS minutes,
       count(*)::integer AS stops
FROM equipment_status_log l
WHERE l.tenant_id = $1 AND l.facility_id = $2
  -- + interval '0 s' keeps this bound off the work-center index: in a generic plan
  -- PostgreSQL 18 would skip-scan that whole index for it (README: Performance)
  AND l.status_start + interval '0 s' < $4
  AND (l.status_end > $3 OR l.status_end IS NULL)
  AND l.work_center_id NOT IN (SELECT id FROM gone)
GROUP BY l.work_center_id, l.status, nullif(btrim(l.reason_code), ''), 5
HAVING sum(extract(epoch FROM least(coalesce(l.status_end, $5), $4)
                              - greatest(l.status_start, $3))) > 0
