-- facilities.timezone accepts only real IANA zone names (issue 7, item 2): the monitor turns it
-- into a Python ZoneInfo, and any other text ('Mars/Olympus', '../../../../etc/passwd') made it
-- crash. PostgreSQL itself accepts more than zoneinfo does, so the rule is stricter than "the
-- server can SET it":
--  * the shape of an IANA name: 'UTC', or Area/Location with up to three parts, the area
--    capitalised (Europe/Berlin, America/Argentina/Buenos_Aires, Etc/GMT+3). This refuses POSIX
--    specs ('UTC+3', 'EST5EDT'), abbreviations ('PST', 'CEST', and 'EST'/'MST', which name a
--    fixed offset, never a plant's local time), the posix/ and right/ copies, paths and
--    wrong case ('europe/berlin': the server would take it, zoneinfo would not);
--  * a zone the server knows by exactly that name (pg_timezone_names, the server's tz data).
-- Declared IMMUTABLE so a CHECK may call it (a CHECK cannot hold a subquery); that is a white
-- lie only when the server's tz data drops a zone, which IANA does not do (old names stay as
-- links).
CREATE FUNCTION floorwatch_is_iana_timezone(name text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog
    AS $$
        SELECT name ~ '^(UTC|[A-Z][A-Za-z]+(/[A-Za-z0-9][A-Za-z0-9_+-]*){1,2})$'
           AND EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_names z WHERE z.name = $1)
    $$;

-- NOT VALID: a database that already holds a bad row still migrates (the monitor refuses that
-- facility with one line naming it); every new or updated row is checked. Validated at once
-- when no existing row breaks the rule, so a clean database gets a fully validated constraint.
ALTER TABLE facilities
    ADD CONSTRAINT facilities_timezone_iana CHECK (floorwatch_is_iana_timezone(timezone)) NOT VALID;

DO $$
BEGIN
    ALTER TABLE facilities VALIDATE CONSTRAINT facilities_timezone_iana;
EXCEPTION WHEN check_violation THEN
    -- an existing row breaks the rule (validation sees every row, whatever row-level security
    -- would show the migrating login): the constraint stays NOT VALID
    NULL;
END
$$;
