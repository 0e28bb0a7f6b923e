-- What the simulator reads back to resume its plant, in the native columns (one FROM item per
-- table, separated by lines "-- table: <name>"). {erp} is the ERP's schema, {shift_start} and
-- {shift_hours} the facility's pattern (floorwatch.shift_patterns when it exists, else
-- 06:00 / 8 h), {status} un-cuts a status the writer cut to the column's width.
-- table: facilities
(SELECT f.id, f.tenant_id, f.facility_code, f.facility_name,
        coalesce(f.timezone, t.default_timezone, 'UTC')::text AS timezone,
        {shift_start} AS first_shift_start, {shift_hours} AS shift_length_hours, f.created_at
 FROM {erp}.facilities f JOIN {erp}.tenants t ON t.id = f.tenant_id {shift_join}
 WHERE f.deleted_at IS NULL) AS facilities
-- table: users
(SELECT u.id, u.tenant_id, u.default_facility_id AS facility_id,
        coalesce(u.display_name, u.username)::text AS display_name, u.created_at
 FROM {erp}.users u) AS users
-- table: work_centers
(SELECT w.id, w.tenant_id, w.facility_id, w.work_center_code, w.work_center_name,
        w.work_center_type, w.production_rate_per_hour,
        coalesce(w.status, 'AVAILABLE')::text AS status, coalesce(w.is_active, true) AS is_active,
        w.deleted_at, w.created_at, coalesce(w.updated_at, w.created_at) AS updated_at
 FROM {erp}.work_centers w) AS work_centers
-- table: production_runs
(SELECT r.id, r.tenant_id, r.facility_id, r.production_run_number::text AS production_run_number,
        r.production_order_id, r.work_center_id, r.operator_user_id, r.operator_name,
        r.scheduled_start, r.scheduled_end, r.actual_start, r.actual_end,
        round(r.quantity_planned)::integer AS quantity_planned,
        round(r.quantity_good)::integer AS quantity_good,
        round(r.quantity_scrap)::integer AS quantity_scrap,
        round(r.quantity_rework)::integer AS quantity_rework,
        r.setup_time_minutes, r.run_time_minutes, r.downtime_minutes, r.status::text AS status,
        r.created_at, coalesce(r.updated_at, r.created_at) AS updated_at
 FROM {erp}.production_runs r) AS production_runs
-- table: equipment_status_log
(SELECT e.id, e.tenant_id, e.facility_id, e.work_center_id,
        {status_of_status} AS status, {status_of_previous} AS previous_status,
        e.status_start, e.status_end, e.production_run_id, e.reason_code,
        e.reason_description, e.created_at
 FROM {erp}.equipment_status_log e) AS equipment_status_log
-- table: oee_calculations
(SELECT o.id, o.tenant_id, o.facility_id, o.work_center_id, o.calculation_date,
        o.shift::text AS shift, o.planned_production_time, coalesce(o.downtime, 0) AS downtime,
        o.runtime, o.total_pieces_produced, o.good_pieces, o.defective_pieces,
        o.ideal_cycle_time_seconds, o.created_at, o.setup_changeover_minutes,
        o.breakdown_minutes, o.no_operator_minutes, o.no_material_minutes
 FROM {erp}.oee_calculations o) AS oee_calculations
