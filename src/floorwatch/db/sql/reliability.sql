-- One work center's breakdowns, productive time and OEE sums over [$4, $5) ($5 = now).
-- $1 tenant, $2 facility, $3 work center, $4 window start, $5 now, $6 small-stop threshold
-- (seconds), $7 first and $8 last calculation_date of the window (the index's bound).
-- Status rows overlapping the window, clipped to it (an open row ends at now); a row that began
-- more than a day before the window counts only while it is still open (the index's bound, as
-- a run's productive minutes). A breakdown is a NON_PRODUCTIVE_BREAKDOWN row at least as long
-- as the small-stop threshold (by its whole length); shorter ones are small stops.
WITH states AS (
    SELECT l.status,
           extract(epoch FROM coalesce(l.status_end, $5) - l.status_start) AS whole_s,
           extract(epoch FROM least(coalesce(l.status_end, $5), $5)
                              - greatest(l.status_start, $4)) AS clipped_s
    FROM equipment_status_log l
    WHERE l.tenant_id = $1 AND l.facility_id = $2 AND l.work_center_id = $3
      AND l.status_start >= $4 - interval '1 day' AND l.status_start < $5
      AND (l.status_end > $4 OR l.status_end IS NULL)
    UNION ALL
    SELECT l.status,
           extract(epoch FROM $5 - l.status_start),
           extract(epoch FROM $5 - $4)
    FROM equipment_status_log l
    WHERE l.tenant_id = $1 AND l.facility_id = $2 AND l.work_center_id = $3
      AND l.status_end IS NULL AND l.status_start < $4 - interval '1 day'
),
totals AS (
    SELECT count(*) FILTER (WHERE status = 'NON_PRODUCTIVE_BREAKDOWN' AND whole_s >= $6)::integer
               AS failures,
           coalesce(sum(clipped_s) FILTER (
               WHERE status = 'NON_PRODUCTIVE_BREAKDOWN' AND whole_s >= $6), 0) / 60
               AS repair_minutes,
           coalesce(sum(clipped_s) FILTER (WHERE status = 'PRODUCTIVE'), 0) / 60
               AS productive_minutes
    FROM states
    WHERE clipped_s > 0
),
oee AS (
    SELECT coalesce(sum(planned_production_time), 0) AS planned_minutes,
           coalesce(sum(runtime), 0) AS runtime_minutes,
           coalesce(sum(total_pieces_produced), 0) AS produced,
           coalesce(sum(good_pieces), 0) AS oee_good,
           coalesce(sum(ideal_cycle_time_seconds * total_pieces_produced), 0) AS ideal_seconds
    FROM oee_calculations
    WHERE tenant_id = $1 AND facility_id = $2 AND work_center_id = $3
      AND calculation_date BETWEEN $7 AND $8
      AND period_start >= $4 AND period_start < $5
)
SELECT * FROM totals, oee
