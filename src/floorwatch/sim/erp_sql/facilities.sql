-- A manufacturing site; the address from the simulator's catalog of sites (by timezone), else
-- marked as simulated (the ERP requires a street, city, postal code and country).
WITH site (timezone, city, postal_code, country) AS (VALUES
    ('Europe/Berlin', 'Leipzig', '04109', 'Germany'),
    ('America/Chicago', 'Milwaukee', '53202', 'United States'),
    ('Europe/London', 'Leeds', 'LS1 4AP', 'United Kingdom'),
    ('America/New_York', 'Allentown', '18101', 'United States'),
    ('Europe/Warsaw', 'Poznań', '61-001', 'Poland'),
    ('Asia/Tokyo', 'Saitama', '330-0063', 'Japan'),
    ('America/Los_Angeles', 'Fresno', '93721', 'United States'),
    ('Australia/Sydney', 'Parramatta', '2150', 'Australia'))
INSERT INTO {erp}.facilities (
    id, tenant_id, facility_code, facility_name, facility_type, is_manufacturing,
    address_line1, city, postal_code, country, timezone, is_active, created_at)
SELECT s.id, s.tenant_id, s.facility_code, s.facility_name, 'MANUFACTURING', true,
       '1 Press Street (simulated)', coalesce(site.city, 'Simulated'),
       coalesce(site.postal_code, '00000'), coalesce(site.country, 'Simulated'),
       s.timezone, true, s.created_at
FROM fw_erp_facilities s LEFT JOIN site ON site.timezone = s.timezone
