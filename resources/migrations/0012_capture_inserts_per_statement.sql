-- New rows are captured once per statement instead of once per row: a statement-level AFTER INSERT
-- trigger reads the statement's new rows from its transition table and writes their outbox rows in
-- one INSERT ... SELECT. A bulk import of 100,000 rows paid a PL/pgSQL call and a single-row insert
-- per row before (docs/benchmarks.md, issue 16). Updates and deletes keep their row trigger: each
-- needs its own changed-column test, and they come one at a time from applications.
--
-- Events stay in the order the rows were inserted (the transition table keeps it, and the outbox ids
-- are drawn in that order), and a statement's events still come after the previous statement's.

-- (Re)creates the insert capture of `target`: a function reading the transition table, and the
-- trigger; the row trigger is narrowed to updates and deletes.
CREATE FUNCTION sync.capture_inserts_per_statement(target regclass, side text, entity text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    cols          record;
    qualified     text;
    function_name text;
    row_capture   regproc;
BEGIN
    SELECT format('%I.%I', n.nspname, c.relname) INTO qualified
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = target;
    SELECT * INTO cols FROM sync.captured_columns(target);
    function_name := format('sync.%I', 'capture_inserts_' || replace(replace(qualified, '"', ''), '.', '_'));

    EXECUTE format($fn$
CREATE OR REPLACE FUNCTION %1$s() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF current_setting('syncdesk.origin', true) <> '' THEN
        RETURN NULL;
    END IF;
    INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation, changed_columns, after_image)
    SELECT %2$L, %3$L, %4$L, n.id, 'insert', %5$L, %6$s FROM syncdesk_new_rows n;
    IF FOUND AND NOT pg_try_advisory_xact_lock_shared(1398361667, 1) THEN
        PERFORM pg_notify('syncdesk_outbox', %2$L);
    END IF;
    RETURN NULL;
END
$body$
$fn$, function_name, side, entity, qualified, cols.tracked_columns, sync.row_image_sql(cols.all_columns, 'n'));

    SELECT tgfoid::regproc INTO STRICT row_capture FROM pg_trigger WHERE tgrelid = target AND tgname = 'syncdesk_capture';
    EXECUTE format('DROP TRIGGER syncdesk_capture ON %s', qualified);
    EXECUTE format('CREATE TRIGGER syncdesk_capture AFTER UPDATE OR DELETE ON %s FOR EACH ROW '
                   'WHEN (coalesce(current_setting(''syncdesk.origin'', true), '''') = '''') '
                   'EXECUTE FUNCTION %s()', qualified, row_capture);
    EXECUTE format('DROP TRIGGER IF EXISTS syncdesk_capture_inserts ON %s', qualified);
    EXECUTE format('CREATE TRIGGER syncdesk_capture_inserts AFTER INSERT ON %s '
                   'REFERENCING NEW TABLE AS syncdesk_new_rows FOR EACH STATEMENT '
                   'WHEN (coalesce(current_setting(''syncdesk.origin'', true), '''') = '''') '
                   'EXECUTE FUNCTION %s()', qualified, function_name);
END
$$;

-- install_capture keeps its signature (re-run it after adding columns) and now ends with this.
CREATE OR REPLACE FUNCTION sync.install_capture(target regclass, side text, entity text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM sync.install_capture_function(target, side, entity);
    PERFORM sync.capture_others_only(target);
    PERFORM sync.capture_inserts_per_statement(target, side, entity);
END
$$;

SELECT sync.capture_inserts_per_statement(v.target::regclass, v.side, v.entity)
FROM (VALUES ('backend.users', 'backend', 'customer'),
             ('backend.conversations', 'backend', 'conversation'),
             ('backend.messages', 'backend', 'message'),
             ('backend.tickets', 'backend', 'ticket'),
             ('dashboard.customers', 'dashboard', 'customer'),
             ('dashboard.tickets', 'dashboard', 'ticket')) AS v(target, side, entity)
WHERE EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(v.target) AND tgname = 'syncdesk_capture');
