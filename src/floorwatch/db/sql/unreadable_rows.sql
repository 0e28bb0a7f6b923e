-- `check` on an adopted database: the ERP's rows floorwatch's views leave out, per table and
-- reason (adopt V002's floorwatch.unreadable_rows()).
SELECT table_name, reason, rows FROM floorwatch.unreadable_rows() WHERE rows > 0
ORDER BY table_name, reason
