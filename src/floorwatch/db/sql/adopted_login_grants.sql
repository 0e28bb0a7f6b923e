-- Every grant ($1 NULL) or one login's on an adopted ERP database. Run with search_path = the
-- ERP's schema: `tenants` is the ERP's own table (there is no foreign key to it, so a grant of a
-- tenant the ERP deleted since is listed with no code).
SELECT g.login, t.tenant_code, g.tenant_id, g.granted_at, g.granted_by,
       r.rolname IS NOT NULL AS login_exists, coalesce(r.rolcanlogin, false) AS can_login
FROM floorwatch.floorwatch_login_tenants g
LEFT JOIN tenants t ON t.id = g.tenant_id
LEFT JOIN pg_roles r ON r.rolname = g.login
WHERE $1::name IS NULL OR g.login = $1
ORDER BY g.login, t.tenant_code
