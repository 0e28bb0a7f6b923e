-- `check` on an adopted database: what floorwatch_reader may do on the ERP's eight tables ($2)
-- in the ERP's schema ($1), directly, through a role or as PUBLIC. It must be nothing: the
-- monitor's boundary is floorwatch's views, and a privilege on a table reads round them.
-- to_public: PUBLIC holds it, on the table or a column (REVOKE ... ON a table takes back its
-- column privileges too).
SELECT c.relname AS table_name, p.privilege,
       EXISTS (SELECT 1 FROM aclexplode(c.relacl) a
               WHERE a.grantee = 0 AND a.privilege_type = p.privilege)
       OR EXISTS (SELECT 1 FROM pg_attribute att, aclexplode(att.attacl) a
                  WHERE att.attrelid = c.oid AND a.grantee = 0
                    AND a.privilege_type = p.privilege) AS to_public
FROM pg_class c
CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES',
                        'TRIGGER']) WITH ORDINALITY AS p (privilege, n)
WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1)
  AND c.relname = ANY ($2::text[]) AND c.relkind IN ('r', 'p')
  AND (has_table_privilege('floorwatch_reader', c.oid, p.privilege)
       OR (p.privilege IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
           AND has_any_column_privilege('floorwatch_reader', c.oid, p.privilege)))
ORDER BY array_position($2::text[], c.relname::text), p.n
