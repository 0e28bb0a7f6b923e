-- `floorwatch migrate --fix-erp-status` (README: Run it on your ERP database), an optional
-- adoption step, run only when asked: the ERP's VARCHAR(20) cannot hold four of the six
-- statuses it documents (NON_PRODUCTIVE_PLANNED_DOWNTIME, the longest, has 31 characters).
-- Raising a VARCHAR's length is a catalogue change: no row is rewritten and the indexes on the
-- columns keep their files. db/erp_status.py runs it only when both columns are VARCHAR of at
-- most 40 characters, and re-creates floorwatch's views that read them around it.
ALTER TABLE equipment_status_log
    ALTER COLUMN status TYPE varchar(40),
    ALTER COLUMN previous_status TYPE varchar(40);
