-- Take a tenant away from a login on an adopted ERP database; returns the rows removed.
DELETE FROM floorwatch.floorwatch_login_tenants WHERE login = $1 AND tenant_id = $2
RETURNING login
