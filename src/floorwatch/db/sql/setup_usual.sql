-- The usual setup of each work center type (the long make-ready alert, domain/job_alerts.py):
-- the median length (seconds) and the number of the type's setups in this facility that ended
-- in [$3, $4) (the history window before today: fixed for the whole day, so PlantData reads it
-- once a day). $1 tenant, $2 facility. A deleted work center's setups before its deletion stay
-- history of its type.
SELECT v.work_center_type,
       percentile_cont(0.5) WITHIN GROUP (
           ORDER BY extract(epoch FROM p.status_end - p.status_start)::float8
       )::numeric AS usual_seconds,
       count(*)::integer AS past_setups
FROM equipment_status_log p
JOIN work_centers v ON v.id = p.work_center_id
WHERE p.tenant_id = $1 AND p.facility_id = $2 AND p.status = 'NON_PRODUCTIVE_SETUP'
  AND p.status_end >= $3 AND p.status_end < $4
  AND (v.deleted_at IS NULL OR p.status_start < v.deleted_at)
GROUP BY v.work_center_type
