-- floorwatch: no transaction
-- The only change adoption makes to the ERP's own tables: indexes for the panel queries' access
-- paths (README: Run it on your ERP database), the same paths as floorwatch's own schema's
-- (migrations/V001, V003), each leading with the tenant/facility scope and then the column the
-- window is on. CONCURRENTLY: the ERP keeps reading and writing these tables while they build.
-- Plain columns only (no expression on a floorwatch function, no predicate), so the ERP's
-- tables depend on nothing of floorwatch's; every name starts with floorwatch_ (unadopt and
-- check find them by it). An interrupted build leaves an INVALID index, which IF NOT EXISTS
-- would keep: db/adopt.py drops it before this runs again.

-- open runs (summary, work-center grid, run list, freshness)
CREATE INDEX CONCURRENTLY IF NOT EXISTS floorwatch_production_runs_facility_status
    ON production_runs (tenant_id, facility_id, status);

-- runs completed in a window (summary, work-center summaries, run list, scrap alerts)
CREATE INDEX CONCURRENTLY IF NOT EXISTS floorwatch_production_runs_facility_end
    ON production_runs (tenant_id, facility_id, actual_end);

-- shift rows of a date range (summary, work-center summaries, trends, low-OEE alerts)
CREATE INDEX CONCURRENTLY IF NOT EXISTS floorwatch_oee_calculations_facility_date
    ON oee_calculations (tenant_id, facility_id, calculation_date);

-- open states (status_end IS NULL) and states ending in a window (utilization, down alerts)
CREATE INDEX CONCURRENTLY IF NOT EXISTS floorwatch_equipment_status_log_facility_end
    ON equipment_status_log (tenant_id, facility_id, status_end);

-- one work center's state changes, newest first (the drill-down)
CREATE INDEX CONCURRENTLY IF NOT EXISTS floorwatch_equipment_status_log_work_center_start
    ON equipment_status_log (work_center_id, status_start);
