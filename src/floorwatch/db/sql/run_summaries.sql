-- $1 tenant, $2 facility, $3 completed since (now - 24 h), $4 now,
-- $5 work center id, $6 statuses, $7 limit; a line marked `filter: $n` is sent only when the
-- caller filters on $n (db/sql_filters.py)
-- A work center deleted by $4 (deleted_at <= now) counts nowhere here (README: Numbers); the
-- completed branch joins work_centers itself, so that its LIMIT counts listed runs only.
-- The filters sit in each branch, so the completed branch can stop at $7 rows in the final
-- order (completed rows sort after every open one, by actual_end DESC, then run number) and
-- production orders are looked up for the returned rows only (a lookup, not a join: on an
-- adopted ERP database production_orders is a security_barrier view, into which a join
-- condition is not pushed, while the lookup's o.id = ... is).
WITH picked AS (
    SELECT * FROM production_runs
    WHERE tenant_id = $1 AND facility_id = $2
      AND status IN ('SCHEDULED', 'IN_PROGRESS', 'PAUSED')
      AND work_center_id = $5  -- filter: $5
      AND status = ANY ($6::text[])  -- filter: $6
    UNION ALL
    (SELECT c.* FROM production_runs c
     JOIN work_centers g ON g.id = c.work_center_id AND (g.deleted_at IS NULL OR g.deleted_at > $4)
     WHERE c.tenant_id = $1 AND c.facility_id = $2 AND c.status = 'COMPLETED'
       AND c.actual_end >= $3 AND c.actual_end <= $4
       AND c.work_center_id = $5  -- filter: $5
       AND 'COMPLETED' = ANY ($6::text[])  -- filter: $6
     ORDER BY c.actual_end DESC, c.production_run_number
     LIMIT $7)
), open_productive AS MATERIALIZED (
    -- the facility's open PRODUCTIVE rows (a few dozen, by equipment_status_log_open_idx),
    -- read once: looked up per run, the planner ANDed the open index with the work center
    -- index and walked each work center's whole history (8 of 13 ms at 10x)
    SELECT work_center_id, status_start FROM equipment_status_log
    WHERE tenant_id = $1 AND facility_id = $2 AND status_end IS NULL AND status = 'PRODUCTIVE'
), listed AS (
    SELECT r.*, w.work_center_code
    FROM picked r
    JOIN work_centers w ON w.id = r.work_center_id AND (w.deleted_at IS NULL OR w.deleted_at > $4)
    ORDER BY CASE r.status WHEN 'IN_PROGRESS' THEN 0 WHEN 'PAUSED' THEN 1
                           WHEN 'SCHEDULED' THEN 2 ELSE 3 END,
             CASE WHEN r.status = 'SCHEDULED' THEN r.scheduled_start END ASC,
             coalesce(r.actual_end, r.actual_start) DESC,
             r.production_run_number
    LIMIT $7
)
SELECT r.id AS run_id, r.production_run_number,
       (SELECT o.production_order_number FROM production_orders o
        WHERE o.id = r.production_order_id) AS production_order_number,
       r.work_center_id, r.work_center_code, r.status, r.operator_name,
       r.scheduled_start, r.scheduled_end, r.actual_start, r.actual_end, r.quantity_planned,
       r.quantity_good IS NOT NULL AS good_counted, coalesce(r.quantity_good, 0) AS good, coalesce(r.quantity_scrap, 0) AS scrap,
       coalesce(r.quantity_rework, 0) AS rework,
       -- an open run's productive seconds so far (time to finish), as in utilization.sql: its
       -- work center's PRODUCTIVE rows clipped to [actual_start, now], by start time from a
       -- day before the run, and a productive row open since before that (the facility's open
       -- rows: never an unbounded walk of the work center's history)
       CASE WHEN r.status IN ('IN_PROGRESS', 'PAUSED') THEN
           coalesce((SELECT sum(greatest(0, extract(epoch FROM
                                    least(coalesce(l.status_end, $4), $4)
                                    - greatest(l.status_start, r.actual_start))))
                     FROM equipment_status_log l
                     WHERE l.work_center_id = r.work_center_id AND l.status = 'PRODUCTIVE'
                       AND l.status_start >= r.actual_start - interval '1 day'
                       AND l.status_start < $4
                       AND (l.status_end IS NULL OR l.status_end > r.actual_start)), 0)
           + coalesce((SELECT greatest(0, extract(epoch FROM $4 - r.actual_start))
                       FROM open_productive l
                       WHERE l.work_center_id = r.work_center_id
                         AND l.status_start < r.actual_start - interval '1 day'
                       LIMIT 1), 0)
       END AS productive_seconds
FROM listed r
ORDER BY CASE r.status WHEN 'IN_PROGRESS' THEN 0 WHEN 'PAUSED' THEN 1
                       WHEN 'SCHEDULED' THEN 2 ELSE 3 END,
         CASE WHEN r.status = 'SCHEDULED' THEN r.scheduled_start END ASC,
         coalesce(r.actual_end, r.actual_start) DESC,
         r.production_run_number
