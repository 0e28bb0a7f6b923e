-- The trends panel: one row per work center with rows in the window, plus one for the facility
-- (work_center_id NULL), instead of one row per work center and shift.
-- $1 tenant, $2 facility, $3 first date, $4 last date (inclusive), $5 recent shift periods.
-- Periods are the facility's distinct period_start values in the window (age 0 = the latest,
-- `recent` = how many of them get a bar). Bars come sparse: `ages` and `ratios` of the rows in
-- the recent periods (a missing age: no row then). Ratios are float8, NULL when nothing was
-- planned: availability x performance x quality (domain/oee.py) is summed ICT x produced x
-- good / (PBT x 60 x produced), for one row ICT x good / (PBT x 60); every sum is exact.
WITH aged AS (
    SELECT o.work_center_id,
           (dense_rank() OVER (ORDER BY o.period_start DESC) - 1)::int AS age,
           o.planned_production_time AS planned, o.runtime,
           o.total_pieces_produced AS produced, o.good_pieces AS good,
           o.ideal_cycle_time_seconds * o.total_pieces_produced AS ideal,
           o.ideal_cycle_time_seconds::float8 * o.total_pieces_produced AS ideal_f,
           o.target_oee_percentage AS target,
           CASE WHEN o.planned_production_time = 0 THEN NULL
                WHEN o.runtime = 0 OR o.total_pieces_produced = 0 THEN 0::float8
                ELSE o.ideal_cycle_time_seconds::float8 * o.good_pieces
                     / (o.planned_production_time::float8 * 60) END AS ratio
    FROM oee_calculations o
    WHERE o.tenant_id = $1 AND o.facility_id = $2
      AND o.calculation_date BETWEEN $3 AND $4
), lines AS (
    SELECT work_center_id, min(age) AS last_age,
           array_agg(age ORDER BY age) FILTER (WHERE age < $5) AS ages,
           array_agg(ratio ORDER BY age) FILTER (WHERE age < $5) AS ratios,
           sum(planned) AS planned, sum(runtime) AS runtime, sum(produced) AS produced,
           sum(good) AS good, sum(ideal) AS ideal,
           sum(target * planned) FILTER (WHERE target IS NOT NULL) AS weighted_target,
           sum(planned) FILTER (WHERE target IS NOT NULL) AS target_planned
    FROM aged
    GROUP BY work_center_id
), latest AS (
    SELECT DISTINCT ON (work_center_id) work_center_id, planned, runtime, produced, good,
           ideal, target
    FROM aged
    ORDER BY work_center_id, age
), facility_bars AS (  -- float sums: bar heights only
    SELECT age,
           CASE WHEN sum(planned) = 0 THEN NULL
                WHEN sum(runtime) = 0 OR sum(produced) = 0 THEN 0::float8
                ELSE sum(ideal_f) * sum(good)::float8
                     / (sum(planned::float8) * 60 * sum(produced)) END AS ratio
    FROM aged
    WHERE age < $5
    GROUP BY age
), facility_last AS (
    SELECT sum(planned) AS planned, sum(runtime) AS runtime, sum(produced) AS produced,
           sum(good) AS good, sum(ideal) AS ideal
    FROM aged
    WHERE age = 0
), recent AS (
    SELECT least(max(age) + 1, $5)::int AS recent FROM aged
)
SELECT l.work_center_id, w.work_center_code, c.recent, l.last_age, l.ages, l.ratios,
       t.planned AS last_planned, t.runtime AS last_runtime, t.produced AS last_produced,
       t.good AS last_good, t.ideal AS last_ideal,
       l.planned, l.runtime, l.produced, l.good, l.ideal,
       t.target, NULL::numeric AS weighted_target, NULL::numeric AS target_planned
FROM lines l
JOIN latest t ON t.work_center_id = l.work_center_id
JOIN work_centers w ON w.id = l.work_center_id
CROSS JOIN recent c
UNION ALL
SELECT NULL, NULL, c.recent, 0,
       (SELECT array_agg(age ORDER BY age) FROM facility_bars),
       (SELECT array_agg(ratio ORDER BY age) FROM facility_bars),
       f.planned, f.runtime, f.produced, f.good, f.ideal,
       sum(l.planned), sum(l.runtime), sum(l.produced), sum(l.good), sum(l.ideal),
       NULL, sum(l.weighted_target), sum(l.target_planned)
FROM lines l
CROSS JOIN facility_last f
CROSS JOIN recent c
GROUP BY c.recent, f.planned, f.runtime, f.produced, f.good, f.ideal
