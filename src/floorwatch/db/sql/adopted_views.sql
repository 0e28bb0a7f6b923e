-- `check` on an adopted database: each of the eight names ($1, in order) as a view in the schema
-- floorwatch, and whether it is a security_barrier view (a function in a query must not see the
-- rows its tenant filter leaves out).
SELECT v.name, c.oid IS NOT NULL AS present,
       coalesce(lower(o.option_value) IN ('true', 'on', 'yes', '1'), false) AS security_barrier
FROM unnest($1::text[]) WITH ORDINALITY AS v (name, n)
LEFT JOIN pg_class c
       ON c.relname = v.name AND c.relkind = 'v'
      AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'floorwatch')
LEFT JOIN LATERAL pg_options_to_table(c.reloptions) AS o ON o.option_name = 'security_barrier'
ORDER BY v.n
