-- The plant tables (as the search path resolves their names) that carry all three enabled
-- change-notice triggers of migrations/V009. On an adopted ERP database the names resolve to
-- floorwatch's views, which have none: the monitor polls there.
SELECT c.relname AS table_name
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
WHERE t.tgname IN ('floorwatch_notice_insert', 'floorwatch_notice_update',
                   'floorwatch_notice_delete')
  AND t.tgenabled <> 'D'
  AND c.oid = to_regclass(quote_ident(c.relname))
GROUP BY c.relname
HAVING count(*) = 3
