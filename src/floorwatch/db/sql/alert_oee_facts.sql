-- Shift rows of the production day. $1 tenant, $2 facility, $3 production day, $4 now,
-- A work center deleted by $4 (deleted_at <= now) counts nowhere here (README: Numbers).
-- $5 oee_min_planned_minutes, $6 points above target up to which an alert is held
-- (oee_resolve_margin_pct - oee_warning_gap_pct). Pre-filter (domain/alerts.py decides):
-- something planned, at least the minimum (less a millionth), and OEE at most target + $6
-- computed exactly in numeric, ICT x good x 100 <= (target + $6) x PBT x 60 x produced, with
-- a millionth to spare (a superset of what the rule, computing in Decimal, accepts); rows
-- whose OEE is 0 by definition (no run time or nothing produced) are kept.
SELECT o.work_center_id, w.work_center_code, o.calculation_date, o.shift,
       o.period_start, o.period_end,
       o.planned_production_time AS planned_minutes, o.runtime AS runtime_minutes,
       o.total_pieces_produced AS produced, o.good_pieces AS oee_good,
       o.ideal_cycle_time_seconds * o.total_pieces_produced AS ideal_seconds,
       o.target_oee_percentage
FROM oee_calculations o
JOIN work_centers w ON w.id = o.work_center_id
WHERE o.tenant_id = $1 AND o.facility_id = $2 AND o.calculation_date = $3
  AND (w.deleted_at IS NULL OR w.deleted_at > $4)
  AND o.period_start <= $4
  AND o.planned_production_time > 0
  AND o.planned_production_time >= $5::numeric * 0.999999
  AND (o.runtime = 0 OR o.total_pieces_produced = 0
       OR o.ideal_cycle_time_seconds * o.total_pieces_produced * o.good_pieces * 100
          <= (o.target_oee_percentage + $6::numeric) * o.planned_production_time * 60
            * o.total_pieces_produced * 1.000001)
