-- For a helpdesk dashboard in its own database (DASHBOARD_DATABASE_URL): the engine commits the
-- dashboard's writes first and the backend's (rows, links, baselines) second, and marks the
-- dashboard's events done last. This ledger, written in the backend's transaction, names the
-- dashboard events whose effects are committed, so a retry after a crash between the commits
-- marks them done instead of applying them (and their handlers' side effects) again.
CREATE TABLE sync.applied_events (
    event_id    bigint PRIMARY KEY,
    applied_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX applied_events_at_idx ON sync.applied_events (applied_at);

-- Called on the dashboard's own database: its events are numbered from 2^62, so an event id names
-- one event across both databases (in lists, live events and "retry event N").
CREATE FUNCTION sync.number_events_as_dashboard_database()
RETURNS void LANGUAGE sql AS $$
    SELECT setval('sync.outbox_id_seq', 4611686018427387904, false)
    WHERE (SELECT last_value FROM sync.outbox_id_seq) < 4611686018427387904;
$$;
