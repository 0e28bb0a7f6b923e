-- floorwatch's oee_calculations (native V007) keeps a shift's scrap and rework apart; the ERP's
-- row has only defective_pieces, so the view gives both as NULL: the shift report then counts
-- every defective piece as scrap (README: Numbers). Appended after the ERP's loss columns, so the
-- view's columns stay those of floorwatch's own table, in order.
CREATE OR REPLACE VIEW floorwatch.oee_calculations WITH (security_barrier) AS
SELECT id, tenant_id, facility_id, work_center_id, calculation_date, shift, period_start,
       period_end, planned_production_time, downtime, runtime, total_pieces_produced,
       good_pieces, defective_pieces, ideal_cycle_time_seconds, availability_percentage,
       performance_percentage, quality_percentage, oee_percentage, target_oee_percentage,
       created_at,
       setup_changeover_minutes, breakdown_minutes, no_operator_minutes, no_material_minutes,
       speed_loss_minutes, quality_loss_pieces,
       NULL::integer AS scrap_pieces, NULL::integer AS rework_pieces
FROM floorwatch.erp_rows_oee_calculations
WHERE (CASE WHEN unreadable IS NULL THEN true END) IS NOT NULL
  AND tenant_id = floorwatch.floorwatch_current_tenant()
  AND ((SELECT floorwatch.floorwatch_session_sees_all_tenants())
       OR tenant_id = ANY ((SELECT floorwatch.floorwatch_session_tenants())::uuid[]));
