-- SyncDesk's own state, in the sync schema.

-- The change log the capture triggers write, one row per captured change. Partitioned by day so
-- that cleanup drops whole partitions instead of deleting rows one by one.
CREATE SEQUENCE sync.outbox_id_seq AS bigint;
CREATE TABLE sync.outbox (
    id               bigint NOT NULL DEFAULT nextval('sync.outbox_id_seq'),
    captured_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    side             text NOT NULL CHECK (side IN ('backend', 'dashboard')),
    entity           text NOT NULL,      -- customer, conversation, message, ticket
    table_name       text NOT NULL,      -- schema-qualified source table
    entity_id        bigint NOT NULL,
    operation        text NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
    changed_columns  text[] NOT NULL DEFAULT '{}',
    before_image     jsonb,              -- row before the change (updates, deletes)
    after_image      jsonb,              -- row after the change (inserts, updates)
    txid             xid8 NOT NULL DEFAULT pg_current_xact_id(),
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'processing', 'done', 'dead')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    claimed_by       text,
    lease_until      timestamptz,
    processed_at     timestamptz,
    last_error       text,
    PRIMARY KEY (id, captured_at)
) PARTITION BY RANGE (captured_at);
ALTER SEQUENCE sync.outbox_id_seq OWNED BY sync.outbox.id;
-- Catches rows when partition upkeep fell behind; normally empty.
CREATE TABLE sync.outbox_default PARTITION OF sync.outbox DEFAULT;
-- The claim query: pending and due, oldest first.
CREATE INDEX outbox_claim_idx ON sync.outbox (next_attempt_at, id) WHERE status = 'pending';
-- Claims whose lease ran out (a crashed worker).
CREATE INDEX outbox_lease_idx ON sync.outbox (lease_until) WHERE status = 'processing';
CREATE INDEX outbox_dead_idx ON sync.outbox (id) WHERE status = 'dead';

-- Creates the daily outbox partitions from yesterday to `days_ahead` days ahead (UTC days) and
-- returns how many it created. Safe to call from several instances at once.
CREATE FUNCTION sync.ensure_outbox_partitions(days_ahead integer DEFAULT 7)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    today    date := (now() AT TIME ZONE 'UTC')::date;
    day      date;
    name     text;
    created  integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(1398361667, 3);
    FOR day IN SELECT d::date FROM generate_series(today - 1, today + days_ahead, interval '1 day') AS d LOOP
        name := 'outbox_' || to_char(day, 'YYYYMMDD');
        CONTINUE WHEN to_regclass('sync.' || quote_ident(name)) IS NOT NULL;
        BEGIN
            EXECUTE format('CREATE TABLE sync.%I PARTITION OF sync.outbox FOR VALUES FROM (%L) TO (%L)',
                           name, day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
            created := created + 1;
        EXCEPTION WHEN check_violation THEN
            -- That day's rows already went to the default partition; they stay there.
            RAISE NOTICE 'outbox rows of % are in the default partition', day;
        END;
    END LOOP;
    RETURN created;
END
$$;
SELECT sync.ensure_outbox_partitions();

-- Which record on one side is which on the other, and the field values both sides last agreed on.
CREATE TABLE sync.links (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity         text NOT NULL CHECK (entity IN ('customer', 'ticket')),
    backend_id     bigint,
    dashboard_id   bigint,
    baseline       jsonb NOT NULL DEFAULT '{}',
    paused_fields  text[] NOT NULL DEFAULT '{}',   -- fields waiting for a person's decision
    state          text NOT NULL DEFAULT 'active'
                   CHECK (state IN ('active', 'deleted_in_backend', 'deleted_in_dashboard')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    synced_at      timestamptz,
    version        bigint NOT NULL DEFAULT 1,
    UNIQUE (entity, backend_id),
    UNIQUE (entity, dashboard_id),
    CHECK (backend_id IS NOT NULL OR dashboard_id IS NOT NULL)
);

-- AI conversations (backend) and the ticket they became or were linked to.
CREATE TABLE sync.conversation_tickets (
    conversation_id      bigint PRIMARY KEY,
    backend_ticket_id    bigint,
    dashboard_ticket_id  bigint NOT NULL,
    link_kind            text NOT NULL CHECK (link_kind IN ('created', 'linked')),
    linked_by            text NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversation_tickets_dashboard_idx ON sync.conversation_tickets (dashboard_ticket_id);
CREATE INDEX conversation_tickets_backend_idx ON sync.conversation_tickets (backend_ticket_id);

CREATE TABLE sync.conflicts (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             text NOT NULL CHECK (kind IN ('field', 'deleted')),
    entity           text NOT NULL,
    link_id          bigint REFERENCES sync.links (id) ON DELETE SET NULL,
    backend_id       bigint,
    dashboard_id     bigint,
    field            text,
    baseline_value   jsonb,
    backend_value    jsonb,
    dashboard_value  jsonb,
    strategy         text NOT NULL
                     CHECK (strategy IN ('latest_wins', 'manual_review', 'merge', 'preserve_both')),
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'preserved')),
    resolution       text,               -- backend, dashboard, value, merge, latest_wins, propagate_delete, ...
    resolved_value   jsonb,
    resolved_by      text,
    resolved_at      timestamptz,
    detected_at      timestamptz NOT NULL DEFAULT now(),
    event_ids        bigint[] NOT NULL DEFAULT '{}',
    details          jsonb NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX conflicts_one_open_per_field ON sync.conflicts (link_id, coalesce(field, ''))
    WHERE status = 'open';
CREATE INDEX conflicts_status_idx ON sync.conflicts (status, detected_at DESC);

CREATE TABLE sync.analyses (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id   bigint NOT NULL,
    analyzer_version  text NOT NULL,
    message_count     integer NOT NULL DEFAULT 0,
    confidence        real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    result            text NOT NULL CHECK (result IN ('create_ticket', 'link_ticket', 'needs_review', 'no_action')),
    category          text NOT NULL,
    priority          text NOT NULL,
    sentiment         real NOT NULL CHECK (sentiment BETWEEN -1 AND 1),
    entities          jsonb NOT NULL DEFAULT '{}',
    subject           text NOT NULL DEFAULT '',
    summary           text NOT NULL DEFAULT '',
    signals           jsonb NOT NULL DEFAULT '[]',
    linked_ticket_id  bigint,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX analyses_conversation_idx ON sync.analyses (conversation_id, created_at DESC);

-- What the engine applied, for the history views and for audits of the sync itself.
CREATE TABLE sync.history (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    entity        text NOT NULL,
    link_id       bigint,
    backend_id    bigint,
    dashboard_id  bigint,
    direction     text NOT NULL CHECK (direction IN ('to_backend', 'to_dashboard', 'both', 'none')),
    action        text NOT NULL,
    fields        text[] NOT NULL DEFAULT '{}',
    event_ids     bigint[] NOT NULL DEFAULT '{}',
    details       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX history_at_idx ON sync.history (at);
CREATE INDEX history_link_idx ON sync.history (link_id, at DESC);

CREATE TABLE sync.consistency_runs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    status        text NOT NULL DEFAULT 'running'
                  CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
    triggered_by  text NOT NULL,
    progress      real NOT NULL DEFAULT 0,
    issues_found  integer NOT NULL DEFAULT 0,
    repaired      integer NOT NULL DEFAULT 0,
    counts        jsonb NOT NULL DEFAULT '{}',
    details       jsonb NOT NULL DEFAULT '{}',
    error         text
);
CREATE INDEX consistency_runs_started_idx ON sync.consistency_runs (started_at DESC);

CREATE TABLE sync.audit_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    actor           text NOT NULL,
    role            text,
    action          text NOT NULL,
    target          text,
    result          text NOT NULL,
    client_address  text,
    request_id      text,
    details         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON sync.audit_log (at DESC);

-- API keys are stored as SHA-256 hashes only; the key itself is shown once, at creation.
CREATE TABLE sync.api_keys (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text NOT NULL UNIQUE,
    prefix        text NOT NULL,
    key_hash      text NOT NULL UNIQUE,
    role          text NOT NULL CHECK (role IN ('viewer', 'agent', 'admin')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
