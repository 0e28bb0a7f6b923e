-- Set a facility's shift pattern on floorwatch's own schema (run as the facility's tenant:
-- row-level security is forced on facilities). Returns the facility's id when it was updated.
UPDATE facilities SET first_shift_start = $2, shift_length_hours = $3
WHERE id = $1
RETURNING id
