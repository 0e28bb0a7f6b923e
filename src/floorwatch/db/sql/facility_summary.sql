-- $1 tenant, $2 facility, $3 local day start, $4 now, $5 production day (OEE rows of the shift running now)
-- Runs completed today as of now: [local midnight, now] (nothing after a replayed `now`).
-- A work center deleted by $4 (deleted_at <= now) counts nowhere here (README: Numbers).
WITH gone AS (
    SELECT id FROM work_centers
    WHERE tenant_id = $1 AND facility_id = $2 AND deleted_at <= $4
), open_runs AS (
    SELECT count(*) FILTER (WHERE status = 'IN_PROGRESS') AS active_runs,
           count(*) FILTER (WHERE status = 'PAUSED') AS paused_runs,
           count(*) FILTER (WHERE status = 'SCHEDULED') AS scheduled_runs
    FROM production_runs
    WHERE tenant_id = $1 AND facility_id = $2
      AND status IN ('SCHEDULED', 'IN_PROGRESS', 'PAUSED')
      AND work_center_id NOT IN (SELECT id FROM gone)
), completed AS (
    SELECT count(*) AS completed_today,
           coalesce(sum(quantity_good), 0) AS good,
           coalesce(sum(quantity_scrap), 0) AS scrap,
           coalesce(sum(quantity_rework), 0) AS rework,
           coalesce(sum(quantity_planned), 0) AS completed_planned  -- their goal (the wall)
    FROM production_runs
    WHERE tenant_id = $1 AND facility_id = $2 AND status = 'COMPLETED'
      AND actual_end >= $3 AND actual_end <= $4
      AND work_center_id NOT IN (SELECT id FROM gone)
), oee AS (
    SELECT coalesce(sum(planned_production_time), 0) AS planned_minutes,
           coalesce(sum(runtime), 0) AS runtime_minutes,
           coalesce(sum(total_pieces_produced), 0) AS produced,
           coalesce(sum(good_pieces), 0) AS oee_good,
           coalesce(sum(ideal_cycle_time_seconds * total_pieces_produced), 0) AS ideal_seconds,
           -- the target is weighted by planned time: domain/oee.py weighted_target
           sum(target_oee_percentage * planned_production_time) AS target_x_planned
    FROM oee_calculations
    WHERE tenant_id = $1 AND facility_id = $2 AND calculation_date = $5
      AND work_center_id NOT IN (SELECT id FROM gone)
)
SELECT * FROM open_runs, completed, oee
