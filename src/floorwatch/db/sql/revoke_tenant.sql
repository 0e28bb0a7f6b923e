-- Take a tenant away from a login; returns the rows removed (none when it had no grant).
DELETE FROM floorwatch_login_tenants WHERE login = $1 AND tenant_id = $2
RETURNING login
