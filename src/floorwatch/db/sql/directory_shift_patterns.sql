-- The shift pattern floorwatch's facilities view gives each facility on an adopted database
-- (from floorwatch.shift_patterns, else the ERP's shifts, else 06:00 / 8 h: adopt V002).
SELECT facility_id, first_shift_start, shift_length_hours
FROM floorwatch.floorwatch_directory()
WHERE facility_id IS NOT NULL
