-- $1 tenant, $2 facility, $3 window start, $4 window end as of now (min(end, now)),
-- $5 first and $6 last calculation_date of the window (the index's bound).
-- Every work center of the facility (not deleted by $4) with the sums of its OEE rows whose
-- period starts in the window; ideal seconds row by row (ideal cycle time x pieces).
WITH oee AS (
    SELECT work_center_id,
           sum(planned_production_time) AS planned_minutes,
           sum(runtime) AS runtime_minutes,
           sum(total_pieces_produced) AS produced,
           sum(good_pieces) AS oee_good,
           sum(defective_pieces) AS defective,
           sum(ideal_cycle_time_seconds * total_pieces_produced) AS ideal_seconds,
           sum(ideal_cycle_time_seconds * good_pieces) AS ideal_good_seconds,
           -- rework is known only when every row splits its defective pieces
           CASE WHEN bool_and(rework_pieces IS NOT NULL) THEN sum(rework_pieces) END AS rework,
           coalesce(sum(ideal_cycle_time_seconds * rework_pieces), 0) AS ideal_rework_seconds,
           sum(target_oee_percentage * planned_production_time) AS target_x_planned,
           sum(setup_changeover_minutes) AS erp_setup_minutes,
           sum(breakdown_minutes) AS erp_breakdown_minutes,
           sum(no_operator_minutes) AS erp_no_operator_minutes,
           sum(no_material_minutes) AS erp_no_material_minutes
    FROM oee_calculations
    WHERE tenant_id = $1 AND facility_id = $2
      AND calculation_date BETWEEN $5 AND $6
      AND period_start >= $3 AND period_start < $4
    GROUP BY work_center_id
)
SELECT w.id AS work_center_id, w.work_center_code, w.work_center_name,
       w.production_rate_per_hour,
       coalesce(o.planned_minutes, 0) AS planned_minutes,
       coalesce(o.runtime_minutes, 0) AS runtime_minutes,
       coalesce(o.produced, 0) AS produced,
       coalesce(o.oee_good, 0) AS oee_good,
       coalesce(o.defective, 0) AS defective,
       coalesce(o.ideal_seconds, 0) AS ideal_seconds,
       coalesce(o.ideal_good_seconds, 0) AS ideal_good_seconds,
       CASE WHEN o.work_center_id IS NULL THEN 0 ELSE o.rework END AS rework,
       coalesce(o.ideal_rework_seconds, 0) AS ideal_rework_seconds,
       o.target_x_planned,
       o.erp_setup_minutes, o.erp_breakdown_minutes, o.erp_no_operator_minutes,
       o.erp_no_material_minutes
FROM work_centers w
LEFT JOIN oee o ON o.work_center_id = w.id
WHERE w.tenant_id = $1 AND w.facility_id = $2
  AND (w.deleted_at IS NULL OR w.deleted_at > $4)
ORDER BY w.work_center_code, w.id
