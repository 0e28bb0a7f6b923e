-- Every grant ($1 NULL) or one login's, with whether the login still exists and may log in.
SELECT g.login, t.tenant_code, g.tenant_id, g.granted_at, g.granted_by,
       r.rolname IS NOT NULL AS login_exists, coalesce(r.rolcanlogin, false) AS can_login
FROM floorwatch_login_tenants g
JOIN tenants t ON t.id = g.tenant_id
LEFT JOIN pg_roles r ON r.rolname = g.login
WHERE $1::name IS NULL OR g.login = $1
ORDER BY g.login, t.tenant_code
