-- What the monitor reads on an adopted ERP database (README: How floorwatch reads the ERP's
-- rows). The ERP's tables are named unqualified (adopt() sets search_path to the ERP's schema;
-- a view binds its tables when it is created), floorwatch's own objects qualified.
--
-- Two layers per table:
--  * floorwatch.erp_rows_<table> (not granted to anyone): every row of the ERP's table with
--    exactly the columns and types of floorwatch's own table (migrations/V001, V004), mapped
--    from the ERP's, and `unreadable`: why the monitor cannot read the row (NULL: it can).
--    Every expression is total: no value in an ERP row makes it raise.
--  * floorwatch.<table>: a security_barrier view of the readable rows of the login's current
--    tenant, granted to floorwatch_reader; on the monitor's search_path (floorwatch first) it
--    stands in for floorwatch's own table, so db/sql/*.sql runs unchanged.
-- Columns the panel queries filter on (ids, times) are the ERP's own columns, unchanged, so
-- their conditions (leakproof operators) are pushed through the barrier onto the ERP's indexes.
-- The views keep a row when `(CASE WHEN unreadable IS NULL THEN true END) IS NOT NULL`: the
-- same as `unreadable IS NULL`, but the planner estimates it as keeping most rows (which is
-- true), where `unreadable IS NULL` would be estimated to keep 0.5 % and turn the panels'
-- plans into nested loops that rescan index ranges (measured: the run list took 250 ms
-- instead of a few).

-- The tenant filter of every view (as native V002 + V005): the current tenant, and granted to
-- session_user unless it sees every tenant. Inline in each view (see the lead's plan: a wrapper
-- function with sub-SELECTs would run per row).

-- ---------------------------------------------------------------------------------------------
-- Helpers (pure; EXECUTE stays with PUBLIC: the views call them as the reading role)

-- A whole number of pieces from the ERP's DECIMAL(18,4): rounded half away from zero; NULL when
-- negative or past an integer (callers leave such rows out).
CREATE FUNCTION floorwatch.erp_pieces(quantity numeric) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN quantity >= 0 AND quantity < 2147483647.5 THEN round(quantity)::integer END;

-- An equipment state as the ERP stores it, read as one of the six documented states: trimmed,
-- upper-cased; a value cut short (VARCHAR(20) holds only 20 characters) reads as the one state
-- it is a prefix of, when it is at least 'NON_PRODUCTIVE_' and one more character long and no
-- other state starts with it. NULL: not readable ('NON_PRODUCTIVE_NO_' could be either wait).
CREATE FUNCTION floorwatch.erp_equipment_state(stored text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE
        WHEN upper(btrim(stored)) IN ('PRODUCTIVE', 'NON_PRODUCTIVE_SETUP',
                                      'NON_PRODUCTIVE_BREAKDOWN', 'NON_PRODUCTIVE_NO_OPERATOR',
                                      'NON_PRODUCTIVE_NO_MATERIAL',
                                      'NON_PRODUCTIVE_PLANNED_DOWNTIME')
            THEN upper(btrim(stored))
        WHEN length(btrim(stored)) <= length('NON_PRODUCTIVE_') THEN NULL
        -- S, B, P and N differ at the first character after NON_PRODUCTIVE_
        WHEN starts_with('NON_PRODUCTIVE_SETUP', upper(btrim(stored)))
            THEN 'NON_PRODUCTIVE_SETUP'
        WHEN starts_with('NON_PRODUCTIVE_BREAKDOWN', upper(btrim(stored)))
            THEN 'NON_PRODUCTIVE_BREAKDOWN'
        WHEN starts_with('NON_PRODUCTIVE_PLANNED_DOWNTIME', upper(btrim(stored)))
            THEN 'NON_PRODUCTIVE_PLANNED_DOWNTIME'
        -- the two waits share NON_PRODUCTIVE_NO_: only a longer prefix tells them apart
        WHEN starts_with('NON_PRODUCTIVE_NO_OPERATOR', upper(btrim(stored)))
             AND NOT starts_with('NON_PRODUCTIVE_NO_MATERIAL', upper(btrim(stored)))
            THEN 'NON_PRODUCTIVE_NO_OPERATOR'
        WHEN starts_with('NON_PRODUCTIVE_NO_MATERIAL', upper(btrim(stored)))
             AND NOT starts_with('NON_PRODUCTIVE_NO_OPERATOR', upper(btrim(stored)))
            THEN 'NON_PRODUCTIVE_NO_MATERIAL'
    END;

-- Which shift of the day a label names (1 = the one starting at first_shift_start): 1..4,
-- A..D, FIRST..FOURTH, 1ST..4TH, with or without a leading 'SHIFT' ('Shift 2', 'SHIFT_B').
-- NULL: the row covers the whole production day (no label, or one of another scheme).
CREATE FUNCTION floorwatch.erp_shift_number(label text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE regexp_replace(upper(btrim(label)), '^SHIFT[ _-]?', '')
        WHEN '1' THEN 1 WHEN '2' THEN 2 WHEN '3' THEN 3 WHEN '4' THEN 4
        WHEN 'A' THEN 1 WHEN 'B' THEN 2 WHEN 'C' THEN 3 WHEN 'D' THEN 4
        WHEN 'FIRST' THEN 1 WHEN 'SECOND' THEN 2 WHEN 'THIRD' THEN 3 WHEN 'FOURTH' THEN 4
        WHEN '1ST' THEN 1 WHEN '2ND' THEN 2 WHEN '3RD' THEN 3 WHEN '4TH' THEN 4
    END;

-- A time of day written 'H:MM', 'HH:MM' or 'HH:MM:SS' (an operating_calendar's start or end);
-- NULL for any other text. '24:00' is the end of a day.
CREATE FUNCTION floorwatch.erp_clock_time(clock text) RETURNS time
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN btrim(clock) ~ '^(([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?|24:00(:00)?)$'
                THEN btrim(clock)::time END;

-- IANA zone names the server knew at adoption: checking a name against pg_timezone_names reads
-- the server's whole zone directory (measured: 11 ms a call). A name not found here is checked
-- the slow way (floorwatch_is_iana_timezone), so a zone the server learns later still counts.
CREATE TABLE floorwatch.iana_timezones (name text PRIMARY KEY);
INSERT INTO floorwatch.iana_timezones
SELECT DISTINCT name FROM pg_timezone_names
WHERE name ~ '^(UTC|[A-Z][A-Za-z]+(/[A-Za-z0-9][A-Za-z0-9_+-]*){1,2})$';
REVOKE ALL ON floorwatch.iana_timezones FROM PUBLIC;

-- ---------------------------------------------------------------------------------------------
-- Shift patterns. The ERP's: work_centers.operating_calendar,
-- {monday: {shifts: [{start: '08:00', end: '16:00'}]}, ...}. Of every well-formed shift of the
-- facility's work centers (any day; a calendar of another shape, or a start or end that is not
-- a clock time, is skipped), the earliest start and the length of the shift starting then (the
-- shortest, when several do), when that length is 6, 8, 12 or 24 hours; none otherwise.
CREATE VIEW floorwatch.erp_calendar_patterns AS
SELECT facility_id, first_shift_start, first_length::integer AS shift_length_hours
FROM (
    SELECT c.facility_id, min(c.start_at) AS first_shift_start,
           (array_agg(c.hours ORDER BY c.start_at, c.hours))[1] AS first_length
    FROM (
        SELECT w.facility_id, floorwatch.erp_clock_time(s.shift ->> 'start') AS start_at,
               -- hours from start to end, over midnight; end = start: 24 h
               ((extract(epoch FROM floorwatch.erp_clock_time(s.shift ->> 'end')
                                    - floorwatch.erp_clock_time(s.shift ->> 'start'))
                 + 86399) % 86400 + 1) / 3600 AS hours
        FROM work_centers w
        CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(w.operating_calendar) = 'object'
                                           THEN w.operating_calendar ELSE '{}' END) AS d (day, plan)
        CROSS JOIN LATERAL jsonb_array_elements(
            CASE WHEN jsonb_typeof(d.plan -> 'shifts') = 'array' THEN d.plan -> 'shifts'
                 ELSE '[]' END) AS s (shift)
        WHERE w.deleted_at IS NULL
    ) AS c
    WHERE c.start_at IS NOT NULL AND c.hours IS NOT NULL
    GROUP BY c.facility_id
) AS p
WHERE first_length IN (6, 8, 12, 24);

-- Per facility: its timezone (facilities.timezone, else the tenant's default_timezone, when an
-- IANA name the server knows; else UTC) and shift pattern (floorwatch.shift_patterns, else the
-- ERP's calendar, else 06:00 x 8 h), and where the pattern came from (for `floorwatch check`).
-- Grouped by the facility so that these are computed once per facility a query reads, not
-- once per row of a view that joins it (the facility condition is pushed into the group).
CREATE VIEW floorwatch.erp_facility_settings AS
SELECT f.id AS facility_id, f.tenant_id,
       CASE WHEN EXISTS (SELECT 1 FROM floorwatch.iana_timezones z WHERE z.name = f.timezone)
                 OR floorwatch.floorwatch_is_iana_timezone(f.timezone) THEN f.timezone::text
            WHEN EXISTS (SELECT 1 FROM floorwatch.iana_timezones z
                         WHERE z.name = min(t.default_timezone))
                 OR floorwatch.floorwatch_is_iana_timezone(min(t.default_timezone))
                THEN min(t.default_timezone)::text
            ELSE 'UTC' END AS timezone,
       coalesce(min(sp.first_shift_start), min(cal.first_shift_start), time '06:00')
           AS first_shift_start,
       coalesce(min(sp.shift_length_hours), min(cal.shift_length_hours), 8) AS shift_length_hours,
       CASE WHEN count(sp.facility_id) > 0 THEN 'floorwatch'
            WHEN count(cal.facility_id) > 0 THEN 'erp_calendar'
            ELSE 'default' END AS shift_pattern_source
FROM facilities f
LEFT JOIN tenants t ON t.id = f.tenant_id
LEFT JOIN floorwatch.shift_patterns sp ON sp.facility_id = f.id
LEFT JOIN floorwatch.erp_calendar_patterns cal ON cal.facility_id = f.id
-- one row per facility (each join finds at most one): min() only reads that row's values, and
-- grouping by the key alone lets a query that needs none of them drop the join
GROUP BY f.id;

-- ---------------------------------------------------------------------------------------------
-- The rows, mapped. `unreadable` names the first native rule a row breaks.

CREATE VIEW floorwatch.erp_rows_tenants AS
SELECT t.id, t.tenant_code::text AS tenant_code, t.tenant_name::text AS tenant_name,
       t.created_at,
       t.deleted_at,
       CASE WHEN t.tenant_code = '' THEN 'empty tenant_code' END AS unreadable
FROM tenants t;

CREATE VIEW floorwatch.erp_rows_facilities AS
SELECT f.id, f.tenant_id, f.facility_code::text AS facility_code,
       f.facility_name::text AS facility_name, s.timezone, s.first_shift_start,
       s.shift_length_hours, f.created_at,
       f.deleted_at,
       CASE WHEN f.facility_code = '' THEN 'empty facility_code' END AS unreadable
FROM facilities f
JOIN floorwatch.erp_facility_settings s ON s.facility_id = f.id;

CREATE VIEW floorwatch.erp_rows_users AS
SELECT u.id, u.tenant_id, u.default_facility_id AS facility_id,
       coalesce(nullif(btrim(u.display_name), ''),
                nullif(btrim(concat_ws(' ', btrim(u.first_name), btrim(u.last_name))), ''),
                u.username)::text AS display_name,
       u.created_at,
       u.deleted_at,
       NULL::text AS unreadable
FROM users u;

CREATE VIEW floorwatch.erp_rows_work_centers AS
SELECT w.id, w.tenant_id, w.facility_id, w.work_center_code::text AS work_center_code,
       w.work_center_name::text AS work_center_name,
       w.work_center_type::text AS work_center_type,
       CASE WHEN w.production_rate_per_hour > 0 THEN w.production_rate_per_hour
       END::numeric(12, 2) AS production_rate_per_hour,
       coalesce(nullif(btrim(w.status), ''), 'AVAILABLE')::text AS status,
       coalesce(w.is_active, true) AS is_active, w.deleted_at, w.created_at,
       coalesce(w.updated_at, w.created_at) AS updated_at,
       CASE WHEN w.work_center_code = '' THEN 'empty work_center_code' END AS unreadable
FROM work_centers w;

CREATE VIEW floorwatch.erp_rows_production_orders AS
SELECT o.id, o.tenant_id, o.facility_id, o.production_order_number::text AS production_order_number,
       floorwatch.erp_pieces(o.quantity_ordered) AS quantity_ordered, o.due_date,
       coalesce(o.priority, 5) AS priority, o.created_at,
       CASE WHEN floorwatch.erp_pieces(o.quantity_ordered) IS NULL
            THEN 'quantity_ordered not a count of pieces' END AS unreadable
FROM production_orders o;

-- Statuses: exactly one of the five (they fit the ERP's VARCHAR(20), so none is ever cut);
-- the column is the ERP's own, so `status = 'COMPLETED'` uses an index on it.
CREATE VIEW floorwatch.erp_rows_production_runs AS
SELECT r.id, r.tenant_id, r.facility_id, r.production_run_number::text AS production_run_number,
       r.production_order_id, r.work_center_id, r.operator_user_id,
       r.operator_name::text AS operator_name, r.scheduled_start, r.scheduled_end,
       r.actual_start, r.actual_end,
       floorwatch.erp_pieces(r.quantity_planned) AS quantity_planned,
       coalesce(floorwatch.erp_pieces(r.quantity_good), 0) AS quantity_good,
       coalesce(floorwatch.erp_pieces(r.quantity_scrap), 0) AS quantity_scrap,
       coalesce(floorwatch.erp_pieces(r.quantity_rework), 0) AS quantity_rework,
       r.setup_time_minutes, r.run_time_minutes, r.downtime_minutes,
       r.status::text AS status, r.created_at, coalesce(r.updated_at, r.created_at) AS updated_at,
       CASE
           WHEN r.status IS NULL
                OR r.status NOT IN ('SCHEDULED', 'IN_PROGRESS', 'PAUSED', 'COMPLETED', 'CANCELLED')
               THEN 'unknown run status'
           WHEN r.quantity_planned IS NOT NULL AND floorwatch.erp_pieces(r.quantity_planned) IS NULL
                OR r.quantity_good IS NOT NULL AND floorwatch.erp_pieces(r.quantity_good) IS NULL
                OR r.quantity_scrap IS NOT NULL AND floorwatch.erp_pieces(r.quantity_scrap) IS NULL
                OR r.quantity_rework IS NOT NULL AND floorwatch.erp_pieces(r.quantity_rework) IS NULL
               THEN 'quantity not a count of pieces'
           WHEN r.setup_time_minutes < 0 OR r.run_time_minutes < 0 OR r.downtime_minutes < 0
               THEN 'negative minutes'
           WHEN r.scheduled_end < r.scheduled_start OR r.actual_end < r.actual_start
               THEN 'ends before it starts'
           WHEN r.status = 'COMPLETED' AND r.actual_end IS NULL THEN 'COMPLETED without actual_end'
           WHEN r.status IN ('IN_PROGRESS', 'PAUSED') AND r.actual_start IS NULL
               THEN 'running without actual_start'
       END AS unreadable
FROM production_runs r;

-- The period of a row: its shift's block of the facility's pattern on calculation_date
-- (plant-local), or the whole production day (first_shift_start to first_shift_start + 24 h)
-- for a row without a known shift label, or whose number is past the day's last shift.
CREATE VIEW floorwatch.erp_rows_oee_calculations AS
SELECT o.id, o.tenant_id, o.facility_id, o.work_center_id, o.calculation_date,
       coalesce(nullif(btrim(o.shift), ''), 'DAY')::text AS shift,
       ((o.calculation_date + s.first_shift_start)
        + make_interval(hours => CASE WHEN floorwatch.erp_shift_number(o.shift)
                                           <= 24 / s.shift_length_hours
                                      THEN (floorwatch.erp_shift_number(o.shift) - 1)
                                           * s.shift_length_hours
                                      ELSE 0 END)) AT TIME ZONE s.timezone AS period_start,
       ((o.calculation_date + s.first_shift_start)
        + make_interval(hours => CASE WHEN floorwatch.erp_shift_number(o.shift)
                                           <= 24 / s.shift_length_hours
                                      THEN floorwatch.erp_shift_number(o.shift)
                                           * s.shift_length_hours
                                      ELSE 24 END)) AT TIME ZONE s.timezone AS period_end,
       o.planned_production_time, coalesce(o.downtime, 0)::numeric(10, 2) AS downtime,
       o.runtime, o.total_pieces_produced, o.good_pieces, o.defective_pieces,
       coalesce(CASE WHEN o.ideal_cycle_time_seconds > 0 THEN o.ideal_cycle_time_seconds END,
                CASE WHEN o.ideal_cycle_time_seconds IS NULL AND w.production_rate_per_hour > 0
                     THEN round(3600 / w.production_rate_per_hour, 4) END)::numeric(12, 4)
           AS ideal_cycle_time_seconds,
       round(o.availability_percentage, 2)::numeric(7, 2) AS availability_percentage,
       round(o.performance_percentage, 2)::numeric(7, 2) AS performance_percentage,
       round(o.quality_percentage, 2)::numeric(7, 2) AS quality_percentage,
       round(o.oee_percentage, 2)::numeric(7, 2) AS oee_percentage,
       CASE WHEN o.target_oee_percentage IS NULL THEN 85
            WHEN o.target_oee_percentage BETWEEN 0 AND 100
                THEN round(o.target_oee_percentage, 2) END::numeric(5, 2)
           AS target_oee_percentage,
       o.created_at,
       -- the ERP's loss columns, after the native ones (the shift report reads them)
       o.setup_changeover_minutes, o.breakdown_minutes, o.no_operator_minutes,
       o.no_material_minutes, o.speed_loss_minutes, o.quality_loss_pieces,
       CASE
           WHEN o.planned_production_time < 0 OR o.downtime < 0 OR o.runtime < 0
               THEN 'negative minutes'
           WHEN o.runtime > o.planned_production_time THEN 'runtime above planned time'
           WHEN o.total_pieces_produced < 0 OR o.good_pieces < 0 OR o.defective_pieces < 0
               THEN 'negative pieces'
           WHEN o.good_pieces::bigint + o.defective_pieces > o.total_pieces_produced
               THEN 'good + defective above produced'
           WHEN o.ideal_cycle_time_seconds <= 0 THEN 'ideal cycle time not positive'
           WHEN o.ideal_cycle_time_seconds IS NULL
                AND NOT coalesce(w.production_rate_per_hour > 0, false)
               THEN 'no ideal cycle time and no production rate'
           WHEN o.target_oee_percentage NOT BETWEEN 0 AND 100 THEN 'target outside 0..100'
           -- a day's total beside the same work center's shift rows would count that day twice;
           -- looked up by the ERP's unique (work_center_id, calculation_date, shift) for each
           -- such row (a scalar subquery: an EXISTS here was planned as a hash of every shift
           -- row of the table)
           WHEN nullif(btrim(o.shift), '') IS NULL
                AND (SELECT 1 FROM oee_calculations x
                     WHERE x.work_center_id = o.work_center_id
                       AND x.calculation_date = o.calculation_date
                       AND nullif(btrim(x.shift), '') IS NOT NULL
                     LIMIT 1) IS NOT NULL
               THEN 'whole-day row beside shift rows'
       END AS unreadable
FROM oee_calculations o
LEFT JOIN work_centers w ON w.id = o.work_center_id
-- a LEFT JOIN (the ERP's foreign key guarantees the facility), so that a query that reads no
-- period does not compute the facility's settings at all
LEFT JOIN floorwatch.erp_facility_settings s ON s.facility_id = o.facility_id;

CREATE VIEW floorwatch.erp_rows_equipment_status_log AS
SELECT l.id, l.tenant_id, l.facility_id, l.work_center_id,
       floorwatch.erp_equipment_state(l.status) AS status,
       floorwatch.erp_equipment_state(l.previous_status) AS previous_status,
       l.status_start, l.status_end, l.production_run_id, l.reason_code::text AS reason_code,
       l.reason_description,
       l.created_at,
       CASE WHEN floorwatch.erp_equipment_state(l.status) IS NULL THEN 'unknown equipment status'
            WHEN l.status_end < l.status_start THEN 'ends before it starts'
       END AS unreadable
FROM equipment_status_log l;

-- ---------------------------------------------------------------------------------------------
-- What the monitor reads: the readable rows of the current tenant, if granted to the login.
-- Deleted tenants, facilities and users (deleted_at set) are left out; work centers keep
-- deleted_at, as in floorwatch's own schema (the queries decide: README, Numbers).

CREATE VIEW floorwatch.tenants WITH (security_barrier) AS
SELECT id, tenant_code, tenant_name, created_at
FROM floorwatch.erp_rows_tenants
WHERE (CASE WHEN unreadable IS NULL THEN true END) IS NOT NULL AND deleted_at IS NULL
  AND id = floorwatch.floorwatch_current_tenant()
  AND ((SELECT floorwatch.floorwatch_session_sees_all_tenants())
       OR id = ANY ((SELECT floorwatch.floorwatch_session_tenants())::uuid[]));

CREATE VIEW floorwatch.facilities WITH (security_barrier) AS
SELECT id, tenant_id, facility_code, facility_name, timezone, first_shift_start,
       shift_length_hours, created_at
FROM floorwatch.erp_rows_facilities
WHERE (CASE WHEN unreadable IS NULL THEN true END) IS NOT NULL AND deleted_at IS NULL
  AND tenant_id = floorwatch.floorwatch_current_tenant()
  AND ((SELECT floorwatch.floorwatch_session_sees_all_tenants())
       OR tenant_id = ANY ((SELECT floorwatch.floorwatch_session_tenants())::uuid[]));

CREATE VIEW floorwatch.users WITH (security_barrier) AS
SELECT id, tenant_id, facility_id, display_name, created_at
FROM floorwatch.erp_rows_users
WHERE (CASE WHEN unreadable IS NULL THEN true END) IS NOT NULL AND deleted_at IS NULL
  AND tenant_id = floorwatch.floorwatch_current_tenant()
  AND ((SELECT floorwatch.floorwatch_session_sees_all_tenants())
       OR tenant_id = ANY ((SELECT floorwatch.floorwatch_session_tenants())::uuid[]));

CREATE VIEW floorwatch.work_centers WITH (security_barrier) AS
SELECT id, tenant_id, facility_id, work_center_code, work_center_name, work_center_type,
       production_rate_per_hour, status, is_active, deleted_at, created_at, updated_at
FROM floorwatch.erp_rows_work_centers
WHERE (CASE WHEN unreadable IS NULL THEN true END) IS NOT NULL
  AND tenant_id = floorwatch.floorwatch_current_tenant()
  AND ((SELECT floorwatch.floorwatch_session_sees_all_tenants())
       OR tenant_id = ANY ((SELECT floorwatch.floorwatch_session_tenants())::uuid[]));

CREATE VIEW floorwatch.production_orders WITH (security_barrier) AS
SELECT id, tenant_id, facility_id, production_order_number, quantity_ordered, due_date,
       priority, created_at
FROM floorwatch.erp_rows_production_orders
WHERE (CASE WHEN unreadable IS NULL THEN true END) IS NOT NULL
  AND tenant_id = floorwatch.floorwatch_current_tenant()
  AND ((SELECT floorwatch.floorwatch_session_sees_all_tenants())
       OR tenant_id = ANY ((SELECT floorwatch.floorwatch_session_tenants())::uuid[]));

CREATE VIEW floorwatch.production_runs WITH (security_barrier) AS
SELECT id, tenant_id, facility_id, production_run_number, production_order_id, work_center_id,
       operator_user_id, operator_name, scheduled_start, scheduled_end, actual_start,
       actual_end, quantity_planned, quantity_good, quantity_scrap, quantity_rework,
       setup_time_minutes, run_time_minutes, downtime_minutes, status, created_at, updated_at
FROM floorwatch.erp_rows_production_runs
WHERE (CASE WHEN unreadable IS NULL THEN true END) IS NOT NULL
  AND tenant_id = floorwatch.floorwatch_current_tenant()
  AND ((SELECT floorwatch.floorwatch_session_sees_all_tenants())
       OR tenant_id = ANY ((SELECT floorwatch.floorwatch_session_tenants())::uuid[]));

CREATE VIEW floorwatch.oee_calculations WITH (security_barrier) AS
SELECT id, tenant_id, facility_id, work_center_id, calculation_date, shift, period_start,
       period_end, planned_production_time, downtime, runtime, total_pieces_produced,
       good_pieces, defective_pieces, ideal_cycle_time_seconds, availability_percentage,
       performance_percentage, quality_percentage, oee_percentage, target_oee_percentage,
       created_at,
       setup_changeover_minutes, breakdown_minutes, no_operator_minutes, no_material_minutes,
       speed_loss_minutes, quality_loss_pieces
FROM floorwatch.erp_rows_oee_calculations
WHERE (CASE WHEN unreadable IS NULL THEN true END) IS NOT NULL
  AND tenant_id = floorwatch.floorwatch_current_tenant()
  AND ((SELECT floorwatch.floorwatch_session_sees_all_tenants())
       OR tenant_id = ANY ((SELECT floorwatch.floorwatch_session_tenants())::uuid[]));

CREATE VIEW floorwatch.equipment_status_log WITH (security_barrier) AS
SELECT id, tenant_id, facility_id, work_center_id, status, previous_status, status_start,
       status_end, production_run_id, reason_code, reason_description, created_at
FROM floorwatch.erp_rows_equipment_status_log
WHERE (CASE WHEN unreadable IS NULL THEN true END) IS NOT NULL
  AND tenant_id = floorwatch.floorwatch_current_tenant()
  AND ((SELECT floorwatch.floorwatch_session_sees_all_tenants())
       OR tenant_id = ANY ((SELECT floorwatch.floorwatch_session_tenants())::uuid[]));

GRANT SELECT ON floorwatch.tenants, floorwatch.facilities, floorwatch.users,
    floorwatch.work_centers, floorwatch.production_orders, floorwatch.production_runs,
    floorwatch.oee_calculations, floorwatch.equipment_status_log TO floorwatch_reader;

-- ---------------------------------------------------------------------------------------------
-- The directory (native V005's signature and rule): tenants and facilities to choose from,
-- only the tenants granted to session_user unless it sees every tenant. As the owner (no tenant
-- is set yet, so the views above would show nothing). Every name in the body is qualified and
-- the function's search_path is pg_catalog, pg_temp: no object of the caller's is found. A
-- string body (not BEGIN ATOMIC), so that it does not depend on the views (which
-- `migrate --fix-erp-status` drops and re-creates around its ALTER: db/dependents.py).
CREATE FUNCTION floorwatch.floorwatch_directory()
    RETURNS TABLE (tenant_id uuid, tenant_code text, tenant_name text, facility_id uuid,
                   facility_code text, facility_name text, timezone text,
                   first_shift_start time, shift_length_hours integer)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT t.id, t.tenant_code, t.tenant_name, f.id, f.facility_code, f.facility_name,
           f.timezone, f.first_shift_start, f.shift_length_hours
    FROM floorwatch.erp_rows_tenants t
    LEFT JOIN floorwatch.erp_rows_facilities f
        ON f.tenant_id = t.id AND f.unreadable IS NULL AND f.deleted_at IS NULL
    WHERE t.unreadable IS NULL AND t.deleted_at IS NULL
      AND (floorwatch.floorwatch_session_sees_all_tenants()
           OR t.id = ANY (floorwatch.floorwatch_session_tenants()))
    ORDER BY t.tenant_code, f.facility_code
$$;
REVOKE ALL ON FUNCTION floorwatch.floorwatch_directory() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION floorwatch.floorwatch_directory() TO floorwatch_reader;

-- For `floorwatch check`: how many rows each view leaves out, and why, of the tenants the
-- login sees (every tenant for the admins who run check). Whole tables for the small ones; for the three that grow with history, only
-- what the monitor may still read, to stay cheap on years of history: runs and status rows not
-- ended or ended since `since` (default: the last 7 days), OEE rows of calculation dates from
-- the day before `since`'s date. Deleted rows (deleted_at) are not counted: the ERP deleted
-- them. Called as floorwatch.unreadable_rows() by `check`; tests pass `since`. A string body,
-- as the directory's.
CREATE FUNCTION floorwatch.unreadable_rows(since timestamptz DEFAULT now() - interval '7 days')
    RETURNS TABLE (table_name text, reason text, rows bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT 'tenants', unreadable, count(*) FROM floorwatch.erp_rows_tenants
    WHERE unreadable IS NOT NULL AND deleted_at IS NULL
      AND ((SELECT floorwatch.floorwatch_session_sees_all_tenants())
           OR id = ANY ((SELECT floorwatch.floorwatch_session_tenants())::uuid[]))
    GROUP BY unreadable
    UNION ALL
    SELECT 'facilities', unreadable, count(*) FROM floorwatch.erp_rows_facilities
    WHERE unreadable IS NOT NULL AND deleted_at IS NULL
      AND ((SELECT floorwatch.floorwatch_session_sees_all_tenants())
           OR tenant_id = ANY ((SELECT floorwatch.floorwatch_session_tenants())::uuid[]))
    GROUP BY unreadable
    UNION ALL
    SELECT 'work_centers', unreadable, count(*) FROM floorwatch.erp_rows_work_centers
    WHERE unreadable IS NOT NULL AND deleted_at IS NULL
      AND ((SELECT floorwatch.floorwatch_session_sees_all_tenants())
           OR tenant_id = ANY ((SELECT floorwatch.floorwatch_session_tenants())::uuid[]))
    GROUP BY unreadable
    UNION ALL
    SELECT 'production_orders', unreadable, count(*) FROM floorwatch.erp_rows_production_orders
    WHERE unreadable IS NOT NULL
      AND ((SELECT floorwatch.floorwatch_session_sees_all_tenants())
           OR tenant_id = ANY ((SELECT floorwatch.floorwatch_session_tenants())::uuid[]))
    GROUP BY unreadable
    UNION ALL
    SELECT 'production_runs', unreadable, count(*) FROM floorwatch.erp_rows_production_runs
    WHERE unreadable IS NOT NULL AND (actual_end IS NULL OR actual_end >= since)
      AND ((SELECT floorwatch.floorwatch_session_sees_all_tenants())
           OR tenant_id = ANY ((SELECT floorwatch.floorwatch_session_tenants())::uuid[]))
    GROUP BY unreadable
    UNION ALL
    SELECT 'oee_calculations', unreadable, count(*) FROM floorwatch.erp_rows_oee_calculations
    WHERE unreadable IS NOT NULL AND calculation_date >= since::date - 1
      AND ((SELECT floorwatch.floorwatch_session_sees_all_tenants())
           OR tenant_id = ANY ((SELECT floorwatch.floorwatch_session_tenants())::uuid[]))
    GROUP BY unreadable
    UNION ALL
    SELECT 'equipment_status_log', unreadable, count(*)
    FROM floorwatch.erp_rows_equipment_status_log
    WHERE unreadable IS NOT NULL AND (status_end IS NULL OR status_end >= since)
      AND ((SELECT floorwatch.floorwatch_session_sees_all_tenants())
           OR tenant_id = ANY ((SELECT floorwatch.floorwatch_session_tenants())::uuid[]))
    GROUP BY unreadable
    ORDER BY 1, 2
$$;
REVOKE ALL ON FUNCTION floorwatch.unreadable_rows(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION floorwatch.unreadable_rows(timestamptz) TO floorwatch_reader;
