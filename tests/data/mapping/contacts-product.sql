-- A product that never heard of SyncDesk: its own schema, names and columns nobody syncs
-- (tests/integration/tst_mappedtables.cpp, tests/app/tst_cli.cpp).
CREATE SCHEMA crm;
CREATE TABLE crm.contacts (
    id bigserial PRIMARY KEY,
    mail text NOT NULL,
    full_name text NOT NULL DEFAULT '',
    phone_number text,
    labels text[] NOT NULL DEFAULT '{}',
    last_seen_at timestamptz
);
CREATE TABLE crm.cases (
    id bigserial PRIMARY KEY,
    contact_id bigint NOT NULL REFERENCES crm.contacts (id),
    title text NOT NULL,
    state smallint NOT NULL DEFAULT 0, -- 0 open, 1 pending, 2 closed
    priority text NOT NULL DEFAULT 'normal'
);
