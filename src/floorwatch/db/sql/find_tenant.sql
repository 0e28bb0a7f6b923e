-- A tenant by code or id, as an administrator sees them (the owner's policy, or a superuser).
SELECT id, tenant_code FROM tenants WHERE tenant_code = $1 OR id::text = lower($1)
