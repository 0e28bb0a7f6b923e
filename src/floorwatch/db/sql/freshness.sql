-- `floorwatch check`: is a data collector still writing this facility? The newest status
-- change (an open state's start or the end of a state closed within $3) and the newest run
-- update (production_runs.updated_at of open runs and of runs that ended within $3), and the
-- server's clock to take their ages from. Rows dated ahead of it count (the demo's simulated
-- clock runs ahead); work centers deleted by now do not (README: Numbers). Every branch is a
-- bounded index range: through an adopted database's views an ORDER BY ... LIMIT 1 over every
-- closed state read the whole history (2.9 s with 1.46 M status rows).
-- $1 tenant, $2 facility, $3 interval.
WITH visible AS (
    SELECT id FROM work_centers
    WHERE tenant_id = $1 AND facility_id = $2 AND (deleted_at IS NULL OR deleted_at > now())
), changes AS (
    SELECT max(status_start) AS newest FROM equipment_status_log
    WHERE tenant_id = $1 AND facility_id = $2 AND status_end IS NULL
      AND work_center_id IN (SELECT id FROM visible)
    UNION ALL
    SELECT max(status_end) FROM equipment_status_log
    WHERE tenant_id = $1 AND facility_id = $2 AND status_end >= now() - $3::interval
      AND work_center_id IN (SELECT id FROM visible)
), updates AS (
    SELECT max(updated_at) AS newest FROM production_runs
    WHERE tenant_id = $1 AND facility_id = $2 AND status IN ('SCHEDULED', 'IN_PROGRESS', 'PAUSED')
      AND work_center_id IN (SELECT id FROM visible)
    UNION ALL
    SELECT max(updated_at) FROM production_runs
    WHERE tenant_id = $1 AND facility_id = $2 AND actual_end >= now() - $3::interval
      AND work_center_id IN (SELECT id FROM visible)
)
SELECT now() AS checked_at,
       (SELECT max(newest) FROM changes) AS newest_status_change,
       (SELECT max(newest) FROM updates) AS newest_run_update
