-- The trends panel: one row per work center with rows in the window, plus one for the facility
-- (work_center_id NULL), instead of one row per work center and shift.
-- $1 tenant, $2 facility, $3 first date, $4 last date (inclusive), $5 recent shift periods.
-- Periods are the facility's distinct period_start values in the window (age 0 = the latest,
-- `recent` = how many of them get a bar). Bars come sparse: `ages` and `ratios` of the rows in
-- the recent periods (a missing age: no row then). Ratios are float8, NULL when nothing was
-- planned: availability x performance x quality (domain/oee.py) is summed ICT x produced x
-- good / (PBT x 60 x produced), for one row ICT x good / (PBT x 60); every sum is exact.
-- A deleted work center's rows count for periods that started before its deleted_at (README:
-- Numbers): history keeps it, nothing after the deletion does.
WITH aged AS (
    SELECT o.work_center_id,
           (dense_rank() OVER (ORDER BY o.period_start DESC) - 1)::int AS age,
           row_number() OVER (PARTITION BY o.work_center_id ORDER BY o.period_start DESC) = 1
               AS latest,
           o.planned_production_time AS planned, o.runtime,
           o.total_pieces_produced AS produced, o.good_pieces AS good,
           o.ideal_cycle_time_seconds * o.total_pieces_produced AS ideal,
           o.ideal_cycle_time_seconds::float8 AS ict_f, o.planned_production_time::float8 AS planned_f,
           o.target_oee_percentage AS target
    FROM oee_calculations o
    JOIN work_centers w ON w.id = o.work_center_id
    WHERE o.tenant_id = $1 AND o.facility_id = $2
      AND o.calculation_date BETWEEN $3 AND $4
      AND (w.deleted_at IS NULL OR o.period_start < w.deleted_at)
), lines AS (
    SELECT work_center_id, min(age) AS last_age,
           array_agg(age) FILTER (WHERE age < $5) AS ages,
           array_agg(CASE WHEN planned = 0 THEN NULL
                          WHEN runtime = 0 OR produced = 0 THEN 0::float8
                          ELSE ict_f * good / (planned_f * 60) END) FILTER (WHERE age < $5)
               AS ratios,
           sum(planned) AS planned, sum(runtime) AS runtime, sum(produced) AS produced,
           sum(good) AS good, sum(ideal) AS ideal,
           sum(planned) FILTER (WHERE latest) AS last_planned,
           sum(runtime) FILTER (WHERE latest) AS last_runtime,
           sum(produced) FILTER (WHERE latest) AS last_produced,
           sum(good) FILTER (WHERE latest) AS last_good,
           sum(ideal) FILTER (WHERE latest) AS last_ideal,
           min(target) FILTER (WHERE latest) AS target,
           sum(target * planned) AS target_x_planned  -- for the facility's weighted target
    FROM aged
    GROUP BY work_center_id
), facility AS (
    SELECT age,
           CASE WHEN sum(planned) = 0 THEN NULL
                WHEN sum(runtime) = 0 OR sum(produced) = 0 THEN 0::float8
                ELSE sum(ict_f * produced) * sum(good)
                     / (sum(planned_f) * 60 * sum(produced)) END AS ratio,
           CASE WHEN age = 0 THEN sum(planned) END AS planned,
           CASE WHEN age = 0 THEN sum(runtime) END AS runtime,
           CASE WHEN age = 0 THEN sum(produced) END AS produced,
           CASE WHEN age = 0 THEN sum(good) END AS good,
           CASE WHEN age = 0 THEN sum(ideal) END AS ideal
    FROM aged
    WHERE age < $5
    GROUP BY age
), recent AS (
    SELECT count(*)::int AS recent FROM facility
)
SELECT l.work_center_id, w.work_center_code, c.recent, l.last_age, l.ages, l.ratios,
       l.last_planned AS last_planned_minutes, l.last_runtime AS last_runtime_minutes,
       l.last_produced, l.last_good AS last_oee_good, l.last_ideal AS last_ideal_seconds,
       l.planned AS planned_minutes, l.runtime AS runtime_minutes, l.produced,
       l.good AS oee_good, l.ideal AS ideal_seconds,
       l.target, NULL::numeric AS target_x_planned
FROM lines l
JOIN work_centers w ON w.id = l.work_center_id
CROSS JOIN recent c
UNION ALL
SELECT NULL, NULL, c.recent, 0,
       (SELECT array_agg(age) FROM facility),
       (SELECT array_agg(ratio) FROM facility),
       f.planned, f.runtime, f.produced, f.good, f.ideal,
       sum(l.planned), sum(l.runtime), sum(l.produced), sum(l.good), sum(l.ideal),
       NULL, sum(l.target_x_planned)
FROM lines l
CROSS JOIN (SELECT * FROM facility WHERE age = 0) f
CROSS JOIN recent c
GROUP BY c.recent, f.planned, f.runtime, f.produced, f.good, f.ideal
