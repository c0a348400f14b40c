-- Capture of the tables a mapping file names (SYNC_MAPPING): the same generated triggers as SyncDesk's
-- own tables get, installed by the engine at start-up (CaptureInstaller), never by hand.
--
-- A mapped table is somebody else's: it has columns SyncDesk does not sync (a last-login time, a
-- counter), and a change to one of those alone must not become an event. sync.mapped_tables says
-- which columns a mapped table's capture tracks (its key, the mapped fields' columns, the owner
-- column); captured_columns, which every generator reads, honours it. Row images still carry every
-- column, as for SyncDesk's own tables.
CREATE TABLE sync.mapped_tables (
    table_name      text PRIMARY KEY, -- schema-qualified, as the mapping names it
    side            text NOT NULL CHECK (side IN ('backend', 'dashboard')),
    entity          text NOT NULL,
    tracked_columns text[] NOT NULL,
    installed_at    timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION sync.captured_columns(target regclass, OUT all_columns text[], OUT tracked_columns text[])
LANGUAGE sql STABLE AS $$
    SELECT array_agg(a.attname::text ORDER BY a.attnum),
           array_agg(a.attname::text ORDER BY a.attnum)
               FILTER (WHERE CASE WHEN m.tracked_columns IS NULL THEN a.attname NOT IN ('updated_at', 'version')
                                  ELSE a.attname = ANY (m.tracked_columns) END)
    FROM pg_attribute a
    LEFT JOIN sync.mapped_tables m ON to_regclass(m.table_name) = target
    WHERE a.attrelid = target AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
$$;
