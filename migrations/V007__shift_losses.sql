-- The shift report (issue #11) reads a shift's scrap and rework apart, and the ERP's own split of
-- a shift's lost minutes where a plant fills it:
--  * scrap_pieces / rework_pieces: defective_pieces kept apart as the runs keep them (the ERP's
--    table merges them); NULL on rows written before, read then as all scrap;
--  * the ERP's loss columns (name- and type-compatible with its oee_calculations), so the
--    monitor's SQL is the same on floorwatch's schema and on an adopted ERP database, whose
--    view carries them (migrations/adopt/V002). floorwatch's simulator fills them; the monitor
--    reads them only for a work center with no status row in the window (README: Numbers).
ALTER TABLE oee_calculations
    ADD COLUMN setup_changeover_minutes numeric(10, 2) CHECK (setup_changeover_minutes >= 0),
    ADD COLUMN breakdown_minutes        numeric(10, 2) CHECK (breakdown_minutes >= 0),
    ADD COLUMN no_operator_minutes      numeric(10, 2) CHECK (no_operator_minutes >= 0),
    ADD COLUMN no_material_minutes      numeric(10, 2) CHECK (no_material_minutes >= 0),
    ADD COLUMN speed_loss_minutes       numeric(10, 2),
    ADD COLUMN quality_loss_pieces      integer,
    ADD COLUMN scrap_pieces             integer CHECK (scrap_pieces >= 0),
    ADD COLUMN rework_pieces            integer CHECK (rework_pieces >= 0),
    ADD CONSTRAINT oee_calculations_scrap_rework_check
        CHECK (scrap_pieces + rework_pieces <= defective_pieces);
