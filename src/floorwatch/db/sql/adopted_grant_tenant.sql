-- Let a login see a tenant on an adopted ERP database (adopt V001:
-- floorwatch.floorwatch_login_tenants). Nothing when already granted.
INSERT INTO floorwatch.floorwatch_login_tenants (login, tenant_id) VALUES ($1, $2)
ON CONFLICT (login, tenant_id) DO NOTHING
RETURNING granted_at
