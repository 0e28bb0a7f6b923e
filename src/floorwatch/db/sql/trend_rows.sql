-- The trends panel's shift rows whose period starts in [$5, $6) (NULL: unbounded), for
-- domain/trends.TrendPart: one row per work center and row, and one per period for the
-- facility (work_center_id NULL). PlantData reads the closed shifts' part once (again when a
-- shift closes, and once it has settled) and the running shift's part on every poll.
-- $1 tenant, $2 facility, $3 first date, $4 last date (inclusive; the index's bound).
-- Ratios are float8, NULL when nothing was planned: availability x performance x quality
-- (domain/oee.py) is summed ICT x produced x good / (PBT x 60 x produced), for one row
-- ICT x good / (PBT x 60); every sum is exact (numeric, bigint).
-- A deleted work center's rows count for periods that started before its deleted_at (README:
-- Numbers): history keeps it, nothing after the deletion does.
WITH picked AS (
    SELECT o.work_center_id, w.work_center_code, o.period_start,
           o.planned_production_time AS planned, o.runtime,
           o.total_pieces_produced AS produced, o.good_pieces AS good,
           o.ideal_cycle_time_seconds * o.total_pieces_produced AS ideal,
           o.ideal_cycle_time_seconds::float8 AS ict_f,
           o.planned_production_time::float8 AS planned_f,
           o.target_oee_percentage AS target
    FROM oee_calculations o
    JOIN work_centers w ON w.id = o.work_center_id
    WHERE o.tenant_id = $1 AND o.facility_id = $2
      AND o.calculation_date BETWEEN $3 AND $4
      AND o.period_start >= coalesce($5::timestamptz, '-infinity')
      AND o.period_start < coalesce($6::timestamptz, 'infinity')
      AND (w.deleted_at IS NULL OR o.period_start < w.deleted_at)
)
SELECT work_center_id, work_center_code, period_start,
       CASE WHEN planned = 0 THEN NULL
            WHEN runtime = 0 OR produced = 0 THEN 0::float8
            ELSE ict_f * good / (planned_f * 60) END AS ratio,
       planned AS planned_minutes, runtime AS runtime_minutes, produced::bigint AS produced,
       good::bigint AS oee_good, ideal AS ideal_seconds, target
FROM picked
UNION ALL
SELECT NULL, NULL, period_start,
       CASE WHEN sum(planned) = 0 THEN NULL
            WHEN sum(runtime) = 0 OR sum(produced) = 0 THEN 0::float8
            ELSE sum(ict_f * produced) * sum(good)
                 / (sum(planned_f) * 60 * sum(produced)) END,
       sum(planned), sum(runtime), sum(produced), sum(good), sum(ideal), NULL
FROM picked
GROUP BY period_start
