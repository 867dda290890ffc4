-- Catalog, assets, warranties, care packs, contracts, incident agreements (ENT-1 to ENT-7).
CREATE TABLE product_lines (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    sku TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    product_line_id INTEGER NOT NULL REFERENCES product_lines(id),
    has_serial BOOLEAN NOT NULL,
    warranty_months INTEGER NOT NULL,
    warranty_coverage TEXT NOT NULL
);
CREATE INDEX products_name ON products(name);

CREATE TABLE product_versions (
    id INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    UNIQUE (product_id, name)
);

CREATE TABLE product_categories (
    id INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    UNIQUE (product_id, name)
);

CREATE TABLE problem_types (
    id INTEGER PRIMARY KEY,
    category_id INTEGER NOT NULL REFERENCES product_categories(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    UNIQUE (category_id, name)
);

CREATE TABLE assets (
    id INTEGER PRIMARY KEY,
    serial_number TEXT NOT NULL UNIQUE,
    product_id INTEGER NOT NULL REFERENCES products(id),
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    site_id INTEGER REFERENCES sites(id) ON DELETE SET NULL,
    ship_date TEXT NOT NULL
);
CREATE INDEX assets_company ON assets(company_id);

-- Factory warranties (one per asset, reference = serial), care packs and contracts.
CREATE TABLE entitlements (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    reference TEXT NOT NULL,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    coverage TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    removed_at TEXT,
    removed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    UNIQUE (company_id, kind, reference)
);
CREATE INDEX entitlements_reference ON entitlements(kind, reference);

CREATE TABLE entitlement_assets (
    entitlement_id INTEGER NOT NULL REFERENCES entitlements(id) ON DELETE CASCADE,
    asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    PRIMARY KEY (entitlement_id, asset_id)
);
CREATE INDEX entitlement_assets_asset ON entitlement_assets(asset_id);

CREATE TABLE agreements (
    id INTEGER PRIMARY KEY,
    access_id TEXT NOT NULL,
    agreement_id TEXT NOT NULL,
    programme TEXT NOT NULL,
    units_bought INTEGER NOT NULL,
    units_remaining INTEGER NOT NULL CHECK (units_remaining >= 0),
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    grace_days INTEGER NOT NULL DEFAULT 0,
    on_premises BOOLEAN NOT NULL,
    cloud BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (access_id, agreement_id)
);
CREATE INDEX agreements_agreement_id ON agreements(agreement_id);

CREATE TABLE agreement_products (
    agreement_id INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    PRIMARY KEY (agreement_id, product_id)
);

CREATE TABLE agreement_links (
    agreement_id INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    linked_at TEXT NOT NULL,
    PRIMARY KEY (agreement_id, user_id)
);
CREATE INDEX agreement_links_user ON agreement_links(user_id);

-- One spent unit; `reference` (the case it paid for) is unique so a retry never spends twice.
CREATE TABLE incident_uses (
    id INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    reference TEXT NOT NULL UNIQUE,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    at TEXT NOT NULL,
    refunded_at TEXT,
    refunded_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX incident_uses_agreement ON incident_uses(agreement_id);

CREATE TABLE purchases (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    pack TEXT NOT NULL,
    region TEXT NOT NULL,
    units INTEGER NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    provider_reference TEXT NOT NULL,
    agreement_id INTEGER NOT NULL REFERENCES agreements(id),
    created_at TEXT NOT NULL
);
