-- The order number is unique across the ERP (not per tenant): prefixed with the tenant code.
-- product_id is NOT NULL: one product per order, its id derived from the order's.
INSERT INTO {erp}.production_orders (
    id, tenant_id, facility_id, production_order_number, product_id, quantity_ordered,
    due_date, priority, created_at)
SELECT s.id, s.tenant_id, s.facility_id,
       CASE WHEN starts_with(s.production_order_number, t.tenant_code || '-')
            THEN s.production_order_number
            ELSE t.tenant_code || '-' || s.production_order_number END,
       md5('product/' || s.id::text)::uuid, s.quantity_ordered, s.due_date, s.priority,
       s.created_at
FROM fw_erp_production_orders s JOIN {erp}.tenants t ON t.id = s.tenant_id
ON CONFLICT (id) DO NOTHING
