-- Open runs, and runs completed today. $1 tenant, $2 facility, $3 local day start, $4 now,
-- A work center deleted by $4 (deleted_at <= now) counts nowhere here (README: Numbers).
-- $5 scrap_min_pieces, $6 the share at which an alert is still held (scrap_warning_pct -
-- scrap_resolve_margin_pct). Pre-filter (domain/alerts.py decides): at least the minimum
-- pieces produced and scrap x 100 >= $6 x produced less a millionth (a superset of what the
-- rule, computing in Decimal, accepts).
WITH picked AS (
    SELECT * FROM production_runs
    WHERE tenant_id = $1 AND facility_id = $2 AND status IN ('IN_PROGRESS', 'PAUSED')
    UNION ALL
    SELECT * FROM production_runs
    WHERE tenant_id = $1 AND facility_id = $2 AND status = 'COMPLETED'
      AND actual_end >= $3 AND actual_end <= $4
), counted AS (
    SELECT r.*, coalesce(r.quantity_good, 0) AS good, coalesce(r.quantity_scrap, 0) AS scrap,
           coalesce(r.quantity_rework, 0) AS rework
    FROM picked r
    WHERE r.actual_start IS NOT NULL
)
SELECT r.id AS run_id, r.production_run_number, r.work_center_id, w.work_center_code,
       r.status, r.actual_start, r.actual_end, r.good, r.scrap, r.rework
FROM counted r
JOIN work_centers w ON w.id = r.work_center_id
WHERE r.good::bigint + r.scrap + r.rework >= $5
  AND (w.deleted_at IS NULL OR w.deleted_at > $4)
  AND r.scrap::numeric * 100 >= $6::numeric * (r.good::bigint + r.scrap + r.rework) * 0.999999
