-- username and email are unique across the ERP (not per tenant): both carry the user's id.
INSERT INTO {erp}.users (
    id, tenant_id, username, email, first_name, last_name, display_name, default_facility_id,
    is_active, created_at)
SELECT s.id, s.tenant_id, 'sim-' || s.id::text, 'sim-' || s.id::text || '@example.invalid',
       split_part(s.display_name, ' ', 1),
       nullif(substr(s.display_name, length(split_part(s.display_name, ' ', 1)) + 2), ''),
       s.display_name, s.facility_id, true, s.created_at
FROM fw_erp_users s
