-- `check` on an adopted database: floorwatch's indexes (named floorwatch_...) on the ERP's
-- eight tables ($2) in the ERP's schema ($1), and whether each is valid (an interrupted
-- CREATE INDEX CONCURRENTLY leaves an invalid one behind).
SELECT i.relname AS name, t.relname AS table, x.indisvalid AS valid
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
WHERE t.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1)
  AND t.relname = ANY ($2::text[]) AND i.relname LIKE 'floorwatch\_%'
ORDER BY 1
