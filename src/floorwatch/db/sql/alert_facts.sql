-- The alert poll in one statement (one round trip). Each CTE is one fact query of db/sql/, included whole by
-- db/queries.alert_facts_sql: a line `-- include: name($a, $b, ...)` stands for
-- db/sql/name.sql with its $1, $2, ... read as this statement's $a, $b, ... (the files also
-- run alone, and keep their own comments: what each rule pre-filters and why).
-- $1 tenant, $2 facility, $3 local day start, $4 now, $5 production day of now,
-- $6 wait_warning_minutes, $7 oee_min_planned_minutes, $8 the OEE hold margin,
-- $9 scrap_min_pieces, $10 the scrap hold share, $11 late_start_minutes, $12 stall_minutes,
-- $13 start of the shift before the last closed one, $14 / $15 the last closed shift's start /
-- end, $16 / $17 the first / last calculation_date of those two shifts,
-- $18 no_output_min_planned_minutes, $19 / $20 / $21 the usual setups (types, median seconds,
-- past setups), $22 setup_min_past, $23 setup_factor, $24 / $25 the running shift's start /
-- end, $26 snooze_by_plan.
WITH down AS (
    -- include: alert_down_facts($1, $2, $3, $4, $6)
), oee AS (
    -- include: alert_oee_facts($1, $2, $5, $4, $7, $8)
), scrap AS (
    -- include: alert_scrap_facts($1, $2, $3, $4, $9, $10)
), late_start AS (
    -- include: alert_late_start_facts($1, $2, $3, $4, $11)
), behind AS (
    -- include: alert_behind_facts($1, $2, $3, $4)
), stalled AS (
    -- include: alert_stalled_facts($1, $2, $3, $4, $12)
), no_output AS (
    -- include: alert_no_output_facts($1, $2, $13, $14, $15, $4, $16, $17, $18)
), long_setup AS (
    -- include: alert_long_setup_facts($1, $2, $3, $4, $19, $20, $21, $22, $23)
), off_plan AS (
    SELECT * FROM (
        -- include: alert_off_plan($1, $2, $4, $24, $25)
    ) AS o
    WHERE $26::boolean
)
-- One row: each kind's columns as arrays (`kind__column`, NULL: no facts of the kind), made
-- in the line below by db/queries.alert_facts_sql from db/queries.FACT_COLUMNS. Arrays of
-- typed columns, not arrays of records: asyncpg decodes an anonymous record in about 20 us
-- (7 ms for the 338 facts of the small bench plant), a typed array's elements in C; and it
-- cannot decode a record that holds arrays of timestamps.
SELECT *
FROM -- columns: down, oee, scrap, late_start, behind, stalled, no_output, long_setup
     (SELECT array_agg(work_center_id) AS off_plan FROM off_plan) AS off_plan_arrays
