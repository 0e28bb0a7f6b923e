-- The first tenant codes, to name the choices when the one asked for is unknown.
SELECT tenant_code FROM tenants ORDER BY 1 LIMIT $1
