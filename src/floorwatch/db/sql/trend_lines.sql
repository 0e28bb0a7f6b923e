-- The trends panel: one row per work center with rows in the window, plus one for the facility
-- (work_center_id NULL), instead of one row per work center and shift.
-- $1 tenant, $2 facility, $3 first date, $4 last date (inclusive), $5 recent shift periods.
-- Periods are the facility's distinct period_start values in the window (age 0 = the latest);
-- each line carries one bar per recent period (NULL: no row, or nothing planned). Sums are
-- exact numerics; only the bar ratios are float8 (ICT x good / (PBT x produced), which is
-- availability x performance x quality, see domain/oee.py).
WITH r AS (
    SELECT o.work_center_id, o.period_start,
           o.planned_production_time AS planned, o.runtime,
           o.total_pieces_produced AS produced, o.good_pieces AS good,
           o.ideal_cycle_time_seconds * o.total_pieces_produced AS ideal,
           o.target_oee_percentage AS target
    FROM oee_calculations o
    WHERE o.tenant_id = $1 AND o.facility_id = $2
      AND o.calculation_date BETWEEN $3 AND $4
), periods AS (
    SELECT period_start, sum(planned) AS planned, sum(runtime) AS runtime,
           sum(produced) AS produced, sum(good) AS good, sum(ideal) AS ideal,
           (row_number() OVER (ORDER BY period_start DESC) - 1)::int AS age
    FROM r
    GROUP BY period_start
), latest AS (
    SELECT DISTINCT ON (work_center_id) work_center_id, period_start, planned, runtime,
           produced, good, ideal, target
    FROM r
    ORDER BY work_center_id, period_start DESC
), sums AS (
    SELECT work_center_id, sum(planned) AS planned, sum(runtime) AS runtime,
           sum(produced) AS produced, sum(good) AS good, sum(ideal) AS ideal
    FROM r
    GROUP BY work_center_id
), bars AS (
    SELECT l.work_center_id,
           array_agg(CASE WHEN x.planned = 0 THEN NULL
                          WHEN x.runtime = 0 OR x.ideal = 0 OR x.produced = 0 THEN 0::float8
                          ELSE x.ideal::float8 * x.good
                               / (x.planned::float8 * 60 * x.produced) END
                     ORDER BY p.period_start) AS ratios
    FROM latest l
    CROSS JOIN periods p
    LEFT JOIN r x ON x.work_center_id = l.work_center_id AND x.period_start = p.period_start
    WHERE p.age < $5
    GROUP BY l.work_center_id
)
SELECT l.work_center_id, w.work_center_code, b.ratios, p.age AS last_age,
       l.planned AS last_planned, l.runtime AS last_runtime, l.produced AS last_produced,
       l.good AS last_good, l.ideal AS last_ideal,
       s.planned, s.runtime, s.produced, s.good, s.ideal,
       l.target, NULL::numeric AS weighted_target, NULL::numeric AS target_planned
FROM latest l
JOIN sums s ON s.work_center_id = l.work_center_id
JOIN bars b ON b.work_center_id = l.work_center_id
JOIN periods p ON p.period_start = l.period_start
JOIN work_centers w ON w.id = l.work_center_id
UNION ALL
SELECT NULL, NULL,
       (SELECT array_agg(CASE WHEN planned = 0 THEN NULL
                              WHEN runtime = 0 OR ideal = 0 OR produced = 0 THEN 0::float8
                              ELSE ideal::float8 * good / (planned::float8 * 60 * produced) END
                         ORDER BY period_start)
        FROM periods WHERE age < $5),
       0,
       f.planned, f.runtime, f.produced, f.good, f.ideal,
       t.planned, t.runtime, t.produced, t.good, t.ideal,
       NULL, t.weighted_target, t.target_planned
FROM (SELECT sum(planned) AS planned, sum(runtime) AS runtime, sum(produced) AS produced,
             sum(good) AS good, sum(ideal) AS ideal,
             sum(target * planned) FILTER (WHERE target IS NOT NULL) AS weighted_target,
             sum(planned) FILTER (WHERE target IS NOT NULL) AS target_planned
      FROM r HAVING count(*) > 0) t
CROSS JOIN (SELECT * FROM periods WHERE age = 0) f
