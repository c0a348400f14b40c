-- Change capture: a row trigger per captured table writes one sync.outbox row per change, in the
-- same transaction as the change, so no change is ever lost and none is recorded that did not commit.
--
-- The trigger functions are generated per table with the column list spelled out. A generic
-- function (to_jsonb(NEW), jsonb_each to diff) would be shorter but costs the writers about a third
-- more; see docs/benchmarks.md. Re-run sync.install_capture() after adding columns to a table.
--
-- Not captured:
--   * changes made in a transaction that ran SET LOCAL syncdesk.origin = '...' (SyncDesk's own
--     writes, so that sync never loops);
--   * updates that change nothing but the bookkeeping columns updated_at and version.
--
-- Wake-ups: the trigger notifies channel 'syncdesk_outbox' only while an engine is idle and waiting.
-- An idle engine holds the advisory lock (1398361667, 1); a writer that cannot take it shared knows
-- somebody is waiting. A busy engine needs no wake-up, and pg_notify serialises every committing
-- transaction on a global lock, so notifying on every change would halve the writers' throughput.
-- The shared lock a writer takes is held to its commit, so an engine that gets the exclusive lock
-- and then looks at the outbox sees every change that did not notify it.

-- Column lists of a table: all stored (non-generated) columns, and those whose change is a change.
CREATE FUNCTION sync.captured_columns(target regclass, OUT all_columns text[], OUT tracked_columns text[])
LANGUAGE sql STABLE AS $$
    SELECT array_agg(a.attname::text ORDER BY a.attnum),
           array_agg(a.attname::text ORDER BY a.attnum)
               FILTER (WHERE a.attname NOT IN ('updated_at', 'version'))
    FROM pg_attribute a
    WHERE a.attrelid = target AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
$$;

-- jsonb_build_object('col', REC.col, ...) for `columns`, in chunks (a call takes at most 100 arguments).
CREATE FUNCTION sync.row_image_sql(columns text[], record_name text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT string_agg(chunk, ' || ')
    FROM (
        SELECT 'jsonb_build_object(' || string_agg(format('%L, %s.%I', c, record_name, c), ', ' ORDER BY n) || ')' AS chunk
        FROM unnest(columns) WITH ORDINALITY AS u(c, n)
        GROUP BY (n - 1) / 40
        ORDER BY (n - 1) / 40
    ) AS chunks
$$;

CREATE FUNCTION sync.install_capture(target regclass, side text, entity text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    cols          record;
    qualified     text;
    function_name text;
    changed_sql   text;
BEGIN
    SELECT format('%I.%I', n.nspname, c.relname) INTO qualified
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = target;
    SELECT * INTO cols FROM sync.captured_columns(target);
    function_name := format('sync.%I', 'capture_' || replace(replace(qualified, '"', ''), '.', '_'));
    SELECT 'array_remove(ARRAY['
           || string_agg(format('CASE WHEN NEW.%1$I IS DISTINCT FROM OLD.%1$I THEN %2$L END', c, c), ', ')
           || ']::text[], NULL)'
      INTO changed_sql
    FROM unnest(cols.tracked_columns) AS c;

    EXECUTE format($fn$
CREATE OR REPLACE FUNCTION %1$s() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
    changed text[];
BEGIN
    IF current_setting('syncdesk.origin', true) <> '' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        changed := %2$s;
        IF cardinality(changed) = 0 THEN
            RETURN NULL;
        END IF;
        INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation, changed_columns, before_image, after_image)
        VALUES (%5$L, %6$L, %7$L, NEW.id, 'update', changed, %3$s, %4$s);
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation, changed_columns, after_image)
        VALUES (%5$L, %6$L, %7$L, NEW.id, 'insert', %8$L, %4$s);
    ELSE
        INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation, changed_columns, before_image)
        VALUES (%5$L, %6$L, %7$L, OLD.id, 'delete', %8$L, %3$s);
    END IF;
    IF NOT pg_try_advisory_xact_lock_shared(1398361667, 1) THEN
        PERFORM pg_notify('syncdesk_outbox', %5$L);
    END IF;
    RETURN NULL;
END
$body$
$fn$, function_name, changed_sql,
      sync.row_image_sql(cols.all_columns, 'OLD'), sync.row_image_sql(cols.all_columns, 'NEW'),
      side, entity, qualified, cols.tracked_columns);

    EXECUTE format('DROP TRIGGER IF EXISTS syncdesk_capture ON %s', qualified);
    EXECUTE format('CREATE TRIGGER syncdesk_capture AFTER INSERT OR UPDATE OR DELETE ON %s '
                   'FOR EACH ROW EXECUTE FUNCTION %s()', qualified, function_name);
END
$$;

-- Row versioning for the tables other applications edit: version goes up by one and updated_at
-- moves (unless the writer set it) whenever a real column changes. Generated per table for the
-- same reason as capture, and because generated columns are not readable in BEFORE triggers.
CREATE FUNCTION sync.install_row_versioning(target regclass)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    cols          record;
    qualified     text;
    function_name text;
    new_row       text;
    old_row       text;
BEGIN
    SELECT format('%I.%I', n.nspname, c.relname) INTO qualified
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = target;
    SELECT * INTO cols FROM sync.captured_columns(target);
    function_name := format('sync.%I', 'touch_' || replace(replace(qualified, '"', ''), '.', '_'));
    SELECT 'ROW(' || string_agg(format('NEW.%I', c), ', ') || ')',
           'ROW(' || string_agg(format('OLD.%I', c), ', ') || ')'
      INTO new_row, old_row
    FROM unnest(cols.tracked_columns) AS c;

    EXECUTE format($fn$
CREATE OR REPLACE FUNCTION %1$s() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF %2$s IS DISTINCT FROM %3$s THEN
        NEW.version := OLD.version + 1;
        IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
            NEW.updated_at := now();
        END IF;
    END IF;
    RETURN NEW;
END
$body$
$fn$, function_name, new_row, old_row);

    EXECUTE format('DROP TRIGGER IF EXISTS syncdesk_touch ON %s', qualified);
    EXECUTE format('CREATE TRIGGER syncdesk_touch BEFORE UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION %s()',
                   qualified, function_name);
END
$$;

SELECT sync.install_row_versioning('backend.users');
SELECT sync.install_row_versioning('backend.conversations');
SELECT sync.install_row_versioning('backend.tickets');
SELECT sync.install_row_versioning('dashboard.customers');
SELECT sync.install_row_versioning('dashboard.tickets');

SELECT sync.install_capture('backend.users', 'backend', 'customer');
SELECT sync.install_capture('backend.conversations', 'backend', 'conversation');
SELECT sync.install_capture('backend.messages', 'backend', 'message');
SELECT sync.install_capture('backend.tickets', 'backend', 'ticket');
SELECT sync.install_capture('dashboard.customers', 'dashboard', 'customer');
SELECT sync.install_capture('dashboard.tickets', 'dashboard', 'ticket');
