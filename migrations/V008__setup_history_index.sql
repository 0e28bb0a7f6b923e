-- The long make-ready alert (issue #12, db/sql/alert_long_setup_facts.sql) reads the setups of
-- a work center type that ended in the last setup_history_days (30 by default) on every alert
-- poll while a setup runs: through this partial index that is the facility's setup rows of
-- those days only (a few percent of its status rows), answered from the index alone, never
-- the month's whole status log.
CREATE INDEX equipment_status_log_setup_end_idx
    ON equipment_status_log (tenant_id, facility_id, status_end)
    INCLUDE (work_center_id, status_start)
    WHERE status = 'NON_PRODUCTIVE_SETUP';
