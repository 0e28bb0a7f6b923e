-- Core schema of the ERP's "Real-Time Production Analytics Dashboard", kept name-compatible
-- (tables and columns) and corrected:
--  * status columns are TEXT with CHECK constraints (the ERP's VARCHAR(20) could not hold
--    NON_PRODUCTIVE_BREAKDOWN, so its equipment-down alert never fired);
--  * quantities are non-negative, intervals end at or after they start;
--  * facilities carry their IANA timezone and shift pattern: "today" and shifts are plant-local;
--  * oee_calculations carries the period it covers and is unique per work center and shift;
--  * no index predicate depends on now()/CURRENT_DATE.
-- Every row carries tenant_id (and facility_id below the facility level) for row-level security.

CREATE TABLE tenants (
    id          uuid PRIMARY KEY,
    tenant_code text NOT NULL UNIQUE CHECK (tenant_code <> ''),
    tenant_name text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE facilities (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid NOT NULL REFERENCES tenants (id),
    facility_code      text NOT NULL CHECK (facility_code <> ''),
    facility_name      text NOT NULL,
    timezone           text NOT NULL DEFAULT 'UTC',
    -- Shifts: consecutive blocks of shift_length_hours starting at first_shift_start (local).
    first_shift_start  time NOT NULL DEFAULT '06:00',
    shift_length_hours integer NOT NULL DEFAULT 8 CHECK (shift_length_hours IN (6, 8, 12, 24)),
    created_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, facility_code),
    UNIQUE (tenant_id, id)
);

CREATE TABLE users (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    facility_id  uuid NOT NULL,
    display_name text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (tenant_id, facility_id) REFERENCES facilities (tenant_id, id)
);

CREATE TABLE work_centers (
    id                       uuid PRIMARY KEY,
    tenant_id                uuid NOT NULL REFERENCES tenants (id),
    facility_id              uuid NOT NULL,
    work_center_code         text NOT NULL CHECK (work_center_code <> ''),
    work_center_name         text NOT NULL,
    work_center_type         text NOT NULL,
    production_rate_per_hour numeric(12, 2) NOT NULL CHECK (production_rate_per_hour > 0),
    status                   text NOT NULL DEFAULT 'AVAILABLE'
        CHECK (status IN ('AVAILABLE', 'IN_USE', 'DOWN', 'MAINTENANCE', 'OFFLINE')),
    is_active                boolean NOT NULL DEFAULT true,
    deleted_at               timestamptz,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (tenant_id, facility_id) REFERENCES facilities (tenant_id, id),
    UNIQUE (tenant_id, facility_id, work_center_code)
);

CREATE TABLE production_orders (
    id                      uuid PRIMARY KEY,
    tenant_id               uuid NOT NULL REFERENCES tenants (id),
    facility_id             uuid NOT NULL,
    production_order_number text NOT NULL,
    quantity_ordered        integer NOT NULL CHECK (quantity_ordered >= 0),
    due_date                date,
    priority                integer NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
    created_at              timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (tenant_id, facility_id) REFERENCES facilities (tenant_id, id),
    UNIQUE (tenant_id, production_order_number)
);

CREATE TABLE production_runs (
    id                    uuid PRIMARY KEY,
    tenant_id             uuid NOT NULL REFERENCES tenants (id),
    facility_id           uuid NOT NULL,
    production_run_number text NOT NULL,
    production_order_id   uuid REFERENCES production_orders (id),
    work_center_id        uuid NOT NULL REFERENCES work_centers (id),
    operator_user_id      uuid REFERENCES users (id),
    operator_name         text,
    scheduled_start       timestamptz,
    scheduled_end         timestamptz,
    actual_start          timestamptz,
    actual_end            timestamptz,
    quantity_planned      integer CHECK (quantity_planned >= 0),
    quantity_good         integer CHECK (quantity_good >= 0),
    quantity_scrap        integer CHECK (quantity_scrap >= 0),
    quantity_rework       integer CHECK (quantity_rework >= 0),
    setup_time_minutes    numeric(10, 2) CHECK (setup_time_minutes >= 0),
    run_time_minutes      numeric(10, 2) CHECK (run_time_minutes >= 0),
    downtime_minutes      numeric(10, 2) CHECK (downtime_minutes >= 0),
    status                text NOT NULL DEFAULT 'SCHEDULED'
        CHECK (status IN ('SCHEDULED', 'IN_PROGRESS', 'PAUSED', 'COMPLETED', 'CANCELLED')),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (tenant_id, facility_id) REFERENCES facilities (tenant_id, id),
    CHECK (scheduled_end >= scheduled_start),
    CHECK (actual_end >= actual_start),
    CHECK (status <> 'COMPLETED' OR actual_end IS NOT NULL),
    CHECK (status NOT IN ('IN_PROGRESS', 'PAUSED') OR actual_start IS NOT NULL)
);

CREATE TABLE oee_calculations (
    id                       uuid PRIMARY KEY,
    tenant_id                uuid NOT NULL REFERENCES tenants (id),
    facility_id              uuid NOT NULL,
    work_center_id           uuid NOT NULL REFERENCES work_centers (id),
    calculation_date         date NOT NULL,
    shift                    text NOT NULL,
    -- Added: the plant-time period this row covers (half-open [period_start, period_end)).
    period_start             timestamptz NOT NULL,
    period_end               timestamptz NOT NULL,
    -- Times in minutes. planned_production_time is ISO 22400 planned busy time (PBT),
    -- runtime is actual production time (APT) = PBT - downtime.
    planned_production_time  numeric(10, 2) NOT NULL CHECK (planned_production_time >= 0),
    downtime                 numeric(10, 2) NOT NULL CHECK (downtime >= 0),
    runtime                  numeric(10, 2) NOT NULL CHECK (runtime >= 0),
    total_pieces_produced    integer NOT NULL CHECK (total_pieces_produced >= 0),
    good_pieces              integer NOT NULL CHECK (good_pieces >= 0),
    defective_pieces         integer NOT NULL CHECK (defective_pieces >= 0),
    ideal_cycle_time_seconds numeric(12, 4) NOT NULL CHECK (ideal_cycle_time_seconds > 0),
    -- Stored for ERP compatibility only; floorwatch recomputes from times and counts.
    availability_percentage  numeric(7, 2),
    performance_percentage   numeric(7, 2),
    quality_percentage       numeric(7, 2),
    oee_percentage           numeric(7, 2),
    target_oee_percentage    numeric(5, 2) NOT NULL DEFAULT 85
        CHECK (target_oee_percentage BETWEEN 0 AND 100),
    created_at               timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (tenant_id, facility_id) REFERENCES facilities (tenant_id, id),
    UNIQUE (work_center_id, calculation_date, shift),
    CHECK (period_end > period_start),
    CHECK (runtime <= planned_production_time),
    CHECK (good_pieces + defective_pieces <= total_pieces_produced)
);

CREATE TABLE equipment_status_log (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid NOT NULL REFERENCES tenants (id),
    facility_id        uuid NOT NULL,
    work_center_id     uuid NOT NULL REFERENCES work_centers (id),
    status             text NOT NULL CHECK (status IN (
        'PRODUCTIVE', 'NON_PRODUCTIVE_SETUP', 'NON_PRODUCTIVE_BREAKDOWN',
        'NON_PRODUCTIVE_NO_OPERATOR', 'NON_PRODUCTIVE_NO_MATERIAL',
        'NON_PRODUCTIVE_PLANNED_DOWNTIME')),
    previous_status    text CHECK (previous_status IN (
        'PRODUCTIVE', 'NON_PRODUCTIVE_SETUP', 'NON_PRODUCTIVE_BREAKDOWN',
        'NON_PRODUCTIVE_NO_OPERATOR', 'NON_PRODUCTIVE_NO_MATERIAL',
        'NON_PRODUCTIVE_PLANNED_DOWNTIME')),
    status_start       timestamptz NOT NULL,
    status_end         timestamptz,
    production_run_id  uuid REFERENCES production_runs (id),
    reason_code        text,
    reason_description text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (tenant_id, facility_id) REFERENCES facilities (tenant_id, id),
    CHECK (status_end >= status_start)
);

-- Indexes for the panel queries (db/sql/*.sql). All lead with the tenant/facility scope.
CREATE INDEX work_centers_facility_idx ON work_centers (tenant_id, facility_id)
    WHERE deleted_at IS NULL;
CREATE INDEX production_runs_open_idx ON production_runs (tenant_id, facility_id, status)
    WHERE status IN ('SCHEDULED', 'IN_PROGRESS', 'PAUSED');
CREATE INDEX production_runs_ended_idx ON production_runs (tenant_id, facility_id, actual_end)
    WHERE actual_end IS NOT NULL;
CREATE INDEX production_runs_work_center_idx ON production_runs (work_center_id, actual_start);
CREATE INDEX oee_calculations_facility_date_idx
    ON oee_calculations (tenant_id, facility_id, calculation_date);
CREATE INDEX equipment_status_log_open_idx ON equipment_status_log (tenant_id, facility_id)
    WHERE status_end IS NULL;
CREATE INDEX equipment_status_log_facility_end_idx
    ON equipment_status_log (tenant_id, facility_id, status_end);
CREATE INDEX equipment_status_log_work_center_idx
    ON equipment_status_log (work_center_id, status_start);
