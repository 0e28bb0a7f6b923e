-- Push refresh (issue #13): a transaction that changes plant rows sends, when it commits, one
-- notification per facility it touched, on the channel 'floorwatch:<facility id>', whose
-- payload names the tables changed, comma-separated (at most six names: far below NOTIFY's
-- 8000-byte limit however many rows or facilities a transaction writes).
--
-- One per transaction and facility, not one per row or statement: a transaction that sent
-- NOTIFY takes a global lock as it commits, so every extra notification would serialise the
-- writers' commits a little more. Statement-level triggers (transition tables, so a COPY of
-- 40,000 rows is one call) note the facilities and tables in a transaction-local setting;
-- the first note of a transaction also inserts a row into floorwatch_change_hook, whose
-- deferred constraint trigger runs once, at commit, and sends the notes. A transaction rolled
-- back sends nothing (its notes and hook row go with it).
--
-- The monitor only LISTENs (db/changes.py); nothing here is written by it.

CREATE UNLOGGED TABLE floorwatch_change_hook (
    xact xid8 PRIMARY KEY
);
REVOKE ALL ON floorwatch_change_hook FROM PUBLIC;

-- The notes: {"<facility id>": {"<table>": true, ...}, ...}
CREATE FUNCTION floorwatch_note_changes() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
DECLARE
    noted jsonb := coalesce(nullif(current_setting('floorwatch.changes', true), ''), '{}');
    facility text;
    facilities text[];
    column_name text := TG_ARGV[0];
BEGIN
    IF TG_OP = 'DELETE' THEN
        EXECUTE format('SELECT array_agg(DISTINCT %I::text) FROM old_rows', column_name)
            INTO facilities;
    ELSE
        EXECUTE format('SELECT array_agg(DISTINCT %I::text) FROM new_rows', column_name)
            INTO facilities;
    END IF;
    IF facilities IS NULL THEN
        RETURN NULL;  -- the statement changed no row
    END IF;
    IF noted = '{}' THEN
        INSERT INTO floorwatch_change_hook VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
    END IF;
    FOREACH facility IN ARRAY facilities LOOP
        noted := noted || jsonb_build_object(facility,
            coalesce(noted -> facility, '{}') || jsonb_build_object(TG_TABLE_NAME, true));
    END LOOP;
    PERFORM set_config('floorwatch.changes', noted::text, true);
    RETURN NULL;
END
$$;

CREATE FUNCTION floorwatch_send_changes() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
DECLARE
    noted jsonb := coalesce(nullif(current_setting('floorwatch.changes', true), ''), '{}');
    facility text;
BEGIN
    FOR facility IN SELECT jsonb_object_keys(noted) LOOP
        PERFORM pg_notify('floorwatch:' || facility,
            (SELECT string_agg(t, ',' ORDER BY t) FROM jsonb_object_keys(noted -> facility) t));
    END LOOP;
    -- a change made after this (by a later deferred trigger) is noted and sent afresh
    PERFORM set_config('floorwatch.changes', '', true);
    DELETE FROM floorwatch_change_hook WHERE xact = NEW.xact;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER floorwatch_send_changes
    AFTER INSERT ON floorwatch_change_hook
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION floorwatch_send_changes();

-- A trigger may name a transition table for one event only: three per table. An UPDATE is
-- noted under its new rows' facility (no plant row moves between facilities).
DO $$
DECLARE
    t text;
    facility_column text;
BEGIN
    FOREACH t IN ARRAY ARRAY['facilities', 'work_centers', 'production_orders',
                             'production_runs', 'oee_calculations', 'equipment_status_log']
    LOOP
        facility_column := CASE t WHEN 'facilities' THEN 'id' ELSE 'facility_id' END;
        EXECUTE format(
            'CREATE TRIGGER floorwatch_notice_insert AFTER INSERT ON %I '
            'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION floorwatch_note_changes(%L)', t, facility_column);
        EXECUTE format(
            'CREATE TRIGGER floorwatch_notice_update AFTER UPDATE ON %I '
            'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION floorwatch_note_changes(%L)', t, facility_column);
        EXECUTE format(
            'CREATE TRIGGER floorwatch_notice_delete AFTER DELETE ON %I '
            'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION floorwatch_note_changes(%L)', t, facility_column);
    END LOOP;
END
$$;
