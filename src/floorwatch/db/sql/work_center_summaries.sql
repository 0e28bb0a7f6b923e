-- $1 tenant, $2 facility, $3 local day start, $4 now, $5 production day (OEE rows of the shift running now)
-- Runs completed today as of now: [local midnight, now] (nothing after a replayed `now`).
-- A work center deleted by $4 (deleted_at <= now) counts nowhere here (README: Numbers).
WITH oee AS (
    SELECT work_center_id,
           sum(planned_production_time) AS planned_minutes,
           sum(runtime) AS runtime_minutes,
           sum(total_pieces_produced) AS produced,
           sum(good_pieces) AS oee_good,
           sum(ideal_cycle_time_seconds * total_pieces_produced) AS ideal_seconds,
           -- the target is weighted by planned time: domain/oee.py weighted_target
           sum(target_oee_percentage * planned_production_time) AS target_x_planned
    FROM oee_calculations
    WHERE tenant_id = $1 AND facility_id = $2 AND calculation_date = $5
    GROUP BY work_center_id
), completed AS (
    SELECT work_center_id,
           count(*) AS completed_today,
           coalesce(sum(quantity_good), 0) AS good,
           coalesce(sum(quantity_scrap), 0) AS scrap,
           coalesce(sum(quantity_rework), 0) AS rework
    FROM production_runs
    WHERE tenant_id = $1 AND facility_id = $2 AND status = 'COMPLETED'
      AND actual_end >= $3 AND actual_end <= $4
    GROUP BY work_center_id
)
SELECT w.id AS work_center_id, w.work_center_code, w.work_center_name, w.work_center_type,
       w.status, w.production_rate_per_hour, w.is_active,
       coalesce(o.planned_minutes, 0) AS planned_minutes,
       coalesce(o.runtime_minutes, 0) AS runtime_minutes,
       coalesce(o.produced, 0) AS produced,
       coalesce(o.oee_good, 0) AS oee_good,
       coalesce(o.ideal_seconds, 0) AS ideal_seconds,
       o.target_x_planned,
       coalesce(c.completed_today, 0) AS completed_today,
       coalesce(c.good, 0) AS good,
       coalesce(c.scrap, 0) AS scrap,
       coalesce(c.rework, 0) AS rework
FROM work_centers w
LEFT JOIN oee o ON o.work_center_id = w.id
LEFT JOIN completed c ON c.work_center_id = w.id
WHERE w.tenant_id = $1 AND w.facility_id = $2 AND (w.deleted_at IS NULL OR w.deleted_at > $4)
ORDER BY w.work_center_code
