-- The simulator's rows into the ERP's own tables (README: Simulator). Each file is one
-- INSERT ... SELECT from a staging table fw_erp_<table> holding the native-shaped rows
-- (sim/rows.py COLUMNS); {erp} is the ERP's schema. The ERP's other columns keep its defaults.
INSERT INTO {erp}.tenants (id, tenant_code, tenant_name, effective_from, created_at)
SELECT s.id, s.tenant_code, s.tenant_name, s.created_at, s.created_at
FROM fw_erp_tenants s
