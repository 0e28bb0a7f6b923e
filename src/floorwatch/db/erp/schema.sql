-- The ERP's own tables, as its migrations create them (toddjhayden/AgogSaas,
-- Implementation/print-industry-erp/backend/migrations/V0.0.2__create_core_multitenant.sql and
-- V0.0.3__create_operations_module.sql): the eight tables floorwatch reads, and `operations`,
-- which production_runs references. Columns, types, defaults, constraints and indexes are the
-- ERP's, comments left out. Used by the tests and by `floorwatch demo --erp-schema`; floorwatch
-- never runs this on a plant's database.
--
-- The ERP's ids default to uuid_generate_v7(), which its V0.0.0 builds on pgcrypto (the
-- embedded server has no pgcrypto). This stand-in makes the same time-ordered version-7 UUID
-- from core functions only: gen_random_uuid() (PostgreSQL 13+) with its first 48 bits replaced
-- by the Unix time in milliseconds.
CREATE OR REPLACE FUNCTION uuid_generate_v7() RETURNS uuid
    LANGUAGE sql VOLATILE
    AS $$
        SELECT encode(
            set_byte(
                overlay(uuid_send(gen_random_uuid())
                        PLACING substring(int8send((extract(epoch FROM clock_timestamp())
                                                    * 1000)::bigint) FROM 3)
                        FROM 1 FOR 6),
                6, (get_byte(uuid_send(gen_random_uuid()), 6) & 15) | 112),
            'hex')::uuid
    $$;

CREATE TABLE tenants (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v7(),
    tenant_code VARCHAR(50) UNIQUE NOT NULL,
    tenant_name VARCHAR(255) NOT NULL,
    legal_entity_name VARCHAR(255),
    subscription_tier VARCHAR(50) NOT NULL DEFAULT 'STARTER',
    status VARCHAR(20) NOT NULL DEFAULT 'ACTIVE',
    primary_contact_name VARCHAR(255),
    primary_contact_email VARCHAR(255),
    primary_contact_phone VARCHAR(50),
    billing_address_line1 VARCHAR(255),
    billing_address_line2 VARCHAR(255),
    billing_city VARCHAR(100),
    billing_state VARCHAR(100),
    billing_postal_code VARCHAR(20),
    billing_country VARCHAR(100),
    tax_id VARCHAR(100),
    tax_exempt BOOLEAN DEFAULT FALSE,
    default_currency_code VARCHAR(3) DEFAULT 'USD',
    default_timezone VARCHAR(100) DEFAULT 'America/New_York',
    default_language VARCHAR(10) DEFAULT 'en-US',
    enabled_features JSONB DEFAULT '[]'::JSONB,
    custom_configuration JSONB DEFAULT '{}'::JSONB,
    user_limit INTEGER,
    facility_limit INTEGER,
    storage_limit_gb INTEGER,
    effective_from TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    effective_to TIMESTAMPTZ,
    is_current BOOLEAN DEFAULT TRUE,
    version_number INTEGER DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_by UUID,
    updated_at TIMESTAMPTZ,
    updated_by UUID,
    deleted_at TIMESTAMPTZ,
    deleted_by UUID,
    CONSTRAINT chk_tenant_status CHECK (status IN ('ACTIVE', 'SUSPENDED', 'TRIAL', 'CANCELLED')),
    CONSTRAINT chk_tenant_tier CHECK (subscription_tier IN ('STARTER', 'PROFESSIONAL', 'ENTERPRISE'))
);
CREATE INDEX idx_tenants_code ON tenants(tenant_code);
CREATE INDEX idx_tenants_status ON tenants(status);
CREATE INDEX idx_tenants_tier ON tenants(subscription_tier);
CREATE INDEX idx_tenants_current ON tenants(is_current) WHERE is_current = TRUE;
CREATE INDEX idx_tenants_effective ON tenants(effective_from, effective_to);

CREATE TABLE facilities (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v7(),
    tenant_id UUID NOT NULL,
    facility_code VARCHAR(50) NOT NULL,
    facility_name VARCHAR(255) NOT NULL,
    facility_type VARCHAR(50) NOT NULL,
    manager_name VARCHAR(255),
    contact_email VARCHAR(255),
    contact_phone VARCHAR(50),
    address_line1 VARCHAR(255) NOT NULL,
    address_line2 VARCHAR(255),
    city VARCHAR(100) NOT NULL,
    state VARCHAR(100),
    postal_code VARCHAR(20) NOT NULL,
    country VARCHAR(100) NOT NULL,
    latitude DECIMAL(10,8),
    longitude DECIMAL(11,8),
    is_warehouse BOOLEAN DEFAULT FALSE,
    is_manufacturing BOOLEAN DEFAULT FALSE,
    is_sales_office BOOLEAN DEFAULT FALSE,
    total_square_feet DECIMAL(12,2),
    usable_square_feet DECIMAL(12,2),
    dock_doors_count INTEGER,
    production_capacity JSONB,
    timezone VARCHAR(100) DEFAULT 'America/New_York',
    operating_hours JSONB,
    deployment_region VARCHAR(50),
    is_active BOOLEAN DEFAULT TRUE,
    opened_date DATE,
    closed_date DATE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_by UUID,
    updated_at TIMESTAMPTZ,
    updated_by UUID,
    deleted_at TIMESTAMPTZ,
    deleted_by UUID,
    CONSTRAINT fk_facility_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id),
    CONSTRAINT uq_facility_code UNIQUE (tenant_id, facility_code),
    CONSTRAINT chk_facility_type CHECK (facility_type IN ('WAREHOUSE', 'MANUFACTURING', 'SALES_OFFICE', 'DISTRIBUTION_CENTER', '3PL_WAREHOUSE'))
);
CREATE INDEX idx_facilities_tenant ON facilities(tenant_id);
CREATE INDEX idx_facilities_code ON facilities(facility_code);
CREATE INDEX idx_facilities_type ON facilities(facility_type);
CREATE INDEX idx_facilities_active ON facilities(is_active);
CREATE INDEX idx_facilities_region ON facilities(deployment_region);
CREATE INDEX idx_facilities_coordinates ON facilities(latitude, longitude);

CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v7(),
    tenant_id UUID NOT NULL,
    username VARCHAR(100) UNIQUE NOT NULL,
    email VARCHAR(255) UNIQUE NOT NULL,
    password_hash VARCHAR(255),
    sso_provider VARCHAR(50),
    sso_user_id VARCHAR(255),
    mfa_enabled BOOLEAN DEFAULT FALSE,
    mfa_secret VARCHAR(255),
    biometric_enrolled BOOLEAN DEFAULT FALSE,
    biometric_fingerprint_hash VARCHAR(255),
    first_name VARCHAR(100),
    last_name VARCHAR(100),
    display_name VARCHAR(255),
    phone VARCHAR(50),
    mobile VARCHAR(50),
    employee_id UUID,
    default_facility_id UUID,
    preferred_language VARCHAR(10) DEFAULT 'en-US',
    preferred_timezone VARCHAR(100) DEFAULT 'America/New_York',
    preferred_currency_code VARCHAR(3) DEFAULT 'USD',
    ui_theme VARCHAR(20) DEFAULT 'LIGHT',
    roles JSONB DEFAULT '[]'::JSONB,
    permissions JSONB DEFAULT '[]'::JSONB,
    security_clearance_level VARCHAR(20),
    is_active BOOLEAN DEFAULT TRUE,
    is_locked BOOLEAN DEFAULT FALSE,
    failed_login_attempts INTEGER DEFAULT 0,
    last_login_at TIMESTAMPTZ,
    password_changed_at TIMESTAMPTZ,
    password_expires_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_by UUID,
    updated_at TIMESTAMPTZ,
    updated_by UUID,
    deleted_at TIMESTAMPTZ,
    deleted_by UUID,
    CONSTRAINT fk_user_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id),
    CONSTRAINT fk_user_default_facility FOREIGN KEY (default_facility_id) REFERENCES facilities(id),
    CONSTRAINT chk_user_clearance CHECK (security_clearance_level IN ('STANDARD', 'RESTRICTED', 'SECURE', 'HIGH_SECURITY', 'VAULT'))
);
CREATE INDEX idx_users_tenant ON users(tenant_id);
CREATE INDEX idx_users_username ON users(username);
CREATE INDEX idx_users_email ON users(email);
CREATE INDEX idx_users_active ON users(is_active);
CREATE INDEX idx_users_clearance ON users(security_clearance_level);

CREATE TABLE work_centers (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v7(),
    tenant_id UUID NOT NULL,
    facility_id UUID NOT NULL,
    work_center_code VARCHAR(50) NOT NULL,
    work_center_name VARCHAR(255) NOT NULL,
    work_center_type VARCHAR(50) NOT NULL,
    manufacturer VARCHAR(100),
    model VARCHAR(100),
    serial_number VARCHAR(100),
    asset_tag VARCHAR(100),
    sheet_width_max DECIMAL(10,4),
    sheet_height_max DECIMAL(10,4),
    sheet_width_min DECIMAL(10,4),
    sheet_height_min DECIMAL(10,4),
    dimension_unit VARCHAR(10) DEFAULT 'INCHES',
    gripper_margin DECIMAL(10,4) DEFAULT 0.5,
    side_margins DECIMAL(10,4) DEFAULT 0.25,
    max_colors INTEGER,
    production_rate_per_hour DECIMAL(12,2),
    production_unit VARCHAR(50),
    hourly_rate DECIMAL(18,4),
    setup_cost DECIMAL(18,4),
    cost_per_unit DECIMAL(18,4),
    last_maintenance_date DATE,
    next_maintenance_date DATE,
    maintenance_interval_days INTEGER,
    status VARCHAR(20) DEFAULT 'AVAILABLE',
    is_active BOOLEAN DEFAULT TRUE,
    operating_calendar JSONB,
    capabilities JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_by UUID,
    updated_at TIMESTAMPTZ,
    updated_by UUID,
    deleted_at TIMESTAMPTZ,
    deleted_by UUID,
    CONSTRAINT fk_work_center_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id),
    CONSTRAINT fk_work_center_facility FOREIGN KEY (facility_id) REFERENCES facilities(id),
    CONSTRAINT uq_work_center_code UNIQUE (tenant_id, facility_id, work_center_code)
);
CREATE INDEX idx_work_centers_tenant ON work_centers(tenant_id);
CREATE INDEX idx_work_centers_facility ON work_centers(facility_id);
CREATE INDEX idx_work_centers_type ON work_centers(work_center_type);
CREATE INDEX idx_work_centers_status ON work_centers(status);

CREATE TABLE production_orders (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v7(),
    tenant_id UUID NOT NULL,
    facility_id UUID NOT NULL,
    production_order_number VARCHAR(50) UNIQUE NOT NULL,
    sales_order_id UUID,
    sales_order_line_id UUID,
    product_id UUID NOT NULL,
    product_code VARCHAR(100),
    product_description TEXT,
    quantity_ordered DECIMAL(18,4) NOT NULL,
    quantity_completed DECIMAL(18,4) DEFAULT 0,
    quantity_scrapped DECIMAL(18,4) DEFAULT 0,
    unit_of_measure VARCHAR(20),
    manufacturing_strategy VARCHAR(50),
    priority INTEGER DEFAULT 5,
    due_date DATE,
    planned_start_date TIMESTAMPTZ,
    planned_completion_date TIMESTAMPTZ,
    actual_start_date TIMESTAMPTZ,
    actual_completion_date TIMESTAMPTZ,
    status VARCHAR(20) DEFAULT 'PLANNED',
    routing_id UUID,
    estimated_material_cost DECIMAL(18,4),
    estimated_labor_cost DECIMAL(18,4),
    estimated_overhead_cost DECIMAL(18,4),
    actual_material_cost DECIMAL(18,4),
    actual_labor_cost DECIMAL(18,4),
    actual_overhead_cost DECIMAL(18,4),
    special_instructions TEXT,
    quality_requirements TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_by UUID,
    updated_at TIMESTAMPTZ,
    updated_by UUID,
    deleted_at TIMESTAMPTZ,
    deleted_by UUID,
    CONSTRAINT fk_production_order_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id),
    CONSTRAINT fk_production_order_facility FOREIGN KEY (facility_id) REFERENCES facilities(id)
);
CREATE INDEX idx_production_orders_tenant ON production_orders(tenant_id);
CREATE INDEX idx_production_orders_facility ON production_orders(facility_id);
CREATE INDEX idx_production_orders_status ON production_orders(status);
CREATE INDEX idx_production_orders_due_date ON production_orders(due_date);
CREATE INDEX idx_production_orders_sales_order ON production_orders(sales_order_id);

CREATE TABLE operations (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v7(),
    tenant_id UUID NOT NULL,
    operation_code VARCHAR(50) NOT NULL,
    operation_name VARCHAR(255) NOT NULL,
    operation_type VARCHAR(50) NOT NULL,
    default_work_center_id UUID,
    setup_time_minutes DECIMAL(10,2),
    run_time_per_unit_seconds DECIMAL(10,4),
    setup_cost DECIMAL(18,4),
    cost_per_unit DECIMAL(18,4),
    inspection_required BOOLEAN DEFAULT FALSE,
    inspection_template_id UUID,
    description TEXT,
    work_instructions TEXT,
    is_active BOOLEAN DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_by UUID,
    updated_at TIMESTAMPTZ,
    updated_by UUID,
    deleted_at TIMESTAMPTZ,
    deleted_by UUID,
    CONSTRAINT fk_operation_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id),
    CONSTRAINT fk_operation_work_center FOREIGN KEY (default_work_center_id) REFERENCES work_centers(id),
    CONSTRAINT uq_operation_code UNIQUE (tenant_id, operation_code)
);
CREATE INDEX idx_operations_tenant ON operations(tenant_id);
CREATE INDEX idx_operations_type ON operations(operation_type);
CREATE INDEX idx_operations_work_center ON operations(default_work_center_id);

CREATE TABLE production_runs (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v7(),
    tenant_id UUID NOT NULL,
    facility_id UUID NOT NULL,
    production_run_number VARCHAR(50) UNIQUE NOT NULL,
    production_order_id UUID NOT NULL,
    work_center_id UUID NOT NULL,
    operation_id UUID NOT NULL,
    operator_user_id UUID,
    operator_name VARCHAR(255),
    scheduled_start TIMESTAMPTZ,
    scheduled_end TIMESTAMPTZ,
    actual_start TIMESTAMPTZ,
    actual_end TIMESTAMPTZ,
    quantity_planned DECIMAL(18,4),
    quantity_good DECIMAL(18,4) DEFAULT 0,
    quantity_scrap DECIMAL(18,4) DEFAULT 0,
    quantity_rework DECIMAL(18,4) DEFAULT 0,
    setup_time_minutes DECIMAL(10,2),
    run_time_minutes DECIMAL(10,2),
    downtime_minutes DECIMAL(10,2),
    downtime_reason VARCHAR(255),
    status VARCHAR(20) DEFAULT 'SCHEDULED',
    first_piece_approved BOOLEAN,
    first_piece_approved_by UUID,
    first_piece_approved_at TIMESTAMPTZ,
    operator_notes TEXT,
    quality_notes TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_by UUID,
    updated_at TIMESTAMPTZ,
    updated_by UUID,
    CONSTRAINT fk_production_run_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id),
    CONSTRAINT fk_production_run_facility FOREIGN KEY (facility_id) REFERENCES facilities(id),
    CONSTRAINT fk_production_run_order FOREIGN KEY (production_order_id) REFERENCES production_orders(id),
    CONSTRAINT fk_production_run_work_center FOREIGN KEY (work_center_id) REFERENCES work_centers(id),
    CONSTRAINT fk_production_run_operation FOREIGN KEY (operation_id) REFERENCES operations(id),
    CONSTRAINT fk_production_run_operator FOREIGN KEY (operator_user_id) REFERENCES users(id)
);
CREATE INDEX idx_production_runs_tenant ON production_runs(tenant_id);
CREATE INDEX idx_production_runs_facility ON production_runs(facility_id);
CREATE INDEX idx_production_runs_order ON production_runs(production_order_id);
CREATE INDEX idx_production_runs_work_center ON production_runs(work_center_id);
CREATE INDEX idx_production_runs_status ON production_runs(status);
CREATE INDEX idx_production_runs_scheduled ON production_runs(scheduled_start, scheduled_end);

CREATE TABLE oee_calculations (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v7(),
    tenant_id UUID NOT NULL,
    facility_id UUID NOT NULL,
    work_center_id UUID NOT NULL,
    calculation_date DATE NOT NULL,
    shift VARCHAR(20),
    planned_production_time DECIMAL(10,2) NOT NULL,
    downtime DECIMAL(10,2) DEFAULT 0,
    runtime DECIMAL(10,2) NOT NULL,
    total_pieces_produced INTEGER NOT NULL,
    good_pieces INTEGER NOT NULL,
    defective_pieces INTEGER NOT NULL,
    ideal_cycle_time_seconds DECIMAL(10,4),
    availability_percentage DECIMAL(8,4),
    performance_percentage DECIMAL(8,4),
    quality_percentage DECIMAL(8,4),
    oee_percentage DECIMAL(8,4),
    setup_changeover_minutes DECIMAL(10,2),
    breakdown_minutes DECIMAL(10,2),
    no_operator_minutes DECIMAL(10,2),
    no_material_minutes DECIMAL(10,2),
    speed_loss_minutes DECIMAL(10,2),
    quality_loss_pieces INTEGER,
    target_oee_percentage DECIMAL(8,4) DEFAULT 85.0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    calculated_by UUID,
    CONSTRAINT fk_oee_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id),
    CONSTRAINT fk_oee_facility FOREIGN KEY (facility_id) REFERENCES facilities(id),
    CONSTRAINT fk_oee_work_center FOREIGN KEY (work_center_id) REFERENCES work_centers(id),
    CONSTRAINT uq_oee_calculation UNIQUE (work_center_id, calculation_date, shift)
);
CREATE INDEX idx_oee_tenant ON oee_calculations(tenant_id);
CREATE INDEX idx_oee_work_center ON oee_calculations(work_center_id);
CREATE INDEX idx_oee_date ON oee_calculations(calculation_date);
CREATE INDEX idx_oee_percentage ON oee_calculations(oee_percentage);

CREATE TABLE equipment_status_log (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v7(),
    tenant_id UUID NOT NULL,
    facility_id UUID NOT NULL,
    work_center_id UUID NOT NULL,
    status VARCHAR(20) NOT NULL,
    previous_status VARCHAR(20),
    status_start TIMESTAMPTZ NOT NULL,
    status_end TIMESTAMPTZ,
    duration_minutes DECIMAL(10,2),
    production_run_id UUID,
    reason_code VARCHAR(50),
    reason_description TEXT,
    logged_by_user_id UUID,
    logged_by_system BOOLEAN DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT fk_equipment_status_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id),
    CONSTRAINT fk_equipment_status_facility FOREIGN KEY (facility_id) REFERENCES facilities(id),
    CONSTRAINT fk_equipment_status_work_center FOREIGN KEY (work_center_id) REFERENCES work_centers(id),
    CONSTRAINT fk_equipment_status_run FOREIGN KEY (production_run_id) REFERENCES production_runs(id),
    CONSTRAINT fk_equipment_status_user FOREIGN KEY (logged_by_user_id) REFERENCES users(id)
);
CREATE INDEX idx_equipment_status_tenant ON equipment_status_log(tenant_id);
CREATE INDEX idx_equipment_status_work_center ON equipment_status_log(work_center_id);
CREATE INDEX idx_equipment_status_time ON equipment_status_log(status_start, status_end);
CREATE INDEX idx_equipment_status_status ON equipment_status_log(status);
