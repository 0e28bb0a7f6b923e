-- No period columns in the ERP (calculation_date and the shift label '1', '2', .. say which
-- period). Percentages that do not fit the ERP's DECIMAL(8,4) are left NULL. Loss columns:
-- the downtime split (setup/changeover, breakdown, no operator, no material minutes) as the
-- simulated machine accumulated it (staged after the native columns, rows.OEE_LOSS_COLUMNS),
-- quality_loss_pieces = the defective pieces, speed_loss_minutes = runtime minus the ideal
-- time of the pieces produced.
INSERT INTO {erp}.oee_calculations (
    id, tenant_id, facility_id, work_center_id, calculation_date, shift,
    planned_production_time, downtime, runtime, total_pieces_produced, good_pieces,
    defective_pieces, ideal_cycle_time_seconds, availability_percentage,
    performance_percentage, quality_percentage, oee_percentage, setup_changeover_minutes,
    breakdown_minutes, no_operator_minutes, no_material_minutes, speed_loss_minutes,
    quality_loss_pieces, target_oee_percentage, created_at)
SELECT s.id, s.tenant_id, s.facility_id, s.work_center_id, s.calculation_date, s.shift,
       s.planned_production_time, s.downtime, s.runtime, s.total_pieces_produced,
       s.good_pieces, s.defective_pieces, s.ideal_cycle_time_seconds,
       CASE WHEN s.availability_percentage < 10000 THEN s.availability_percentage END,
       CASE WHEN s.performance_percentage < 10000 THEN s.performance_percentage END,
       CASE WHEN s.quality_percentage < 10000 THEN s.quality_percentage END,
       CASE WHEN s.oee_percentage < 10000 THEN s.oee_percentage END,
       s.setup_changeover_minutes, s.breakdown_minutes, s.no_operator_minutes,
       s.no_material_minutes,
       round(greatest(0, s.runtime
                         - s.total_pieces_produced * s.ideal_cycle_time_seconds / 60), 2),
       s.defective_pieces, s.target_oee_percentage, s.created_at
FROM fw_erp_oee_calculations s
ON CONFLICT (work_center_id, calculation_date, shift) DO UPDATE SET
    planned_production_time = EXCLUDED.planned_production_time,
    downtime = EXCLUDED.downtime, runtime = EXCLUDED.runtime,
    total_pieces_produced = EXCLUDED.total_pieces_produced,
    good_pieces = EXCLUDED.good_pieces, defective_pieces = EXCLUDED.defective_pieces,
    ideal_cycle_time_seconds = EXCLUDED.ideal_cycle_time_seconds,
    availability_percentage = EXCLUDED.availability_percentage,
    performance_percentage = EXCLUDED.performance_percentage,
    quality_percentage = EXCLUDED.quality_percentage,
    oee_percentage = EXCLUDED.oee_percentage,
    setup_changeover_minutes = EXCLUDED.setup_changeover_minutes,
    breakdown_minutes = EXCLUDED.breakdown_minutes,
    no_operator_minutes = EXCLUDED.no_operator_minutes,
    no_material_minutes = EXCLUDED.no_material_minutes,
    speed_loss_minutes = EXCLUDED.speed_loss_minutes,
    quality_loss_pieces = EXCLUDED.quality_loss_pieces,
    target_oee_percentage = EXCLUDED.target_oee_percentage
