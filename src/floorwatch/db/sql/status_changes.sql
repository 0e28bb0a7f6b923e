-- One work center's state changes since a time. $1 tenant, $2 facility, $3 work center, $4 since
-- The run's number by a lookup per listed row, not a join: on an adopted ERP database
-- production_runs is a security_barrier view, into which a join condition is not pushed (the
-- join read every run of the tenant), while a lookup's r.id = ... is.
SELECT l.status, l.previous_status, l.status_start, l.status_end, l.reason_code,
       l.reason_description,
       (SELECT r.production_run_number FROM production_runs r WHERE r.id = l.production_run_id)
           AS production_run_number
FROM equipment_status_log l
WHERE l.tenant_id = $1 AND l.facility_id = $2 AND l.work_center_id = $3
  AND (l.status_end IS NULL OR l.status_end > $4)
ORDER BY l.status_start DESC
LIMIT 200
