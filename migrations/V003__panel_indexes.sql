-- Indexes for the panel queries at scale (issue 4, `floorwatch bench`). Measured with
-- 1 M / 10 M production_runs: every panel reads only today's (or the last 24 h's, or the
-- last 7 days') rows of one facility, so each index leads with the facility scope and then the
-- column the window is on; history older than the window is never visited.

-- Runs completed in a window (summary, work-center summaries, run list, scrap alerts):
-- partial on COMPLETED, newest first (the run list reads it backwards with a LIMIT), and
-- carrying the quantities so the two summaries are answered from the index alone.
CREATE INDEX production_runs_completed_end_idx
    ON production_runs (tenant_id, facility_id, actual_end DESC)
    INCLUDE (work_center_id, quantity_good, quantity_scrap, quantity_rework)
    WHERE status = 'COMPLETED';

-- Shift rows of a date range (summary, work-center summaries, trends, low-OEE alerts):
-- covering, so these queries never visit the table. Replaces the plain facility/date index.
CREATE INDEX oee_calculations_facility_date_cover_idx
    ON oee_calculations (tenant_id, facility_id, calculation_date)
    INCLUDE (work_center_id, shift, period_start, period_end, planned_production_time, runtime,
             total_pieces_produced, good_pieces, ideal_cycle_time_seconds,
             target_oee_percentage);
DROP INDEX IF EXISTS oee_calculations_facility_date_idx;
