-- SyncDesk's own writes (SET LOCAL syncdesk.origin) were skipped inside the capture function, after
-- PostgreSQL had queued an after-trigger event and called PL/pgSQL for every row: about a tenth of
-- the cost of each row the engine applies (docs/benchmarks.md). A WHEN condition on the trigger is
-- evaluated before anything is queued. The function keeps its own check as well.

-- (Re)creates the capture trigger of `target` around its existing function, with the condition.
CREATE FUNCTION sync.capture_others_only(target regclass)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    capture regproc;
BEGIN
    SELECT tgfoid::regproc INTO STRICT capture FROM pg_trigger WHERE tgrelid = target AND tgname = 'syncdesk_capture';
    EXECUTE format('DROP TRIGGER syncdesk_capture ON %s', target);
    EXECUTE format('CREATE TRIGGER syncdesk_capture AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW '
                   'WHEN (coalesce(current_setting(''syncdesk.origin'', true), '''') = '''') '
                   'EXECUTE FUNCTION %s()', target, capture);
END
$$;

-- install_capture keeps its signature and now adds the condition.
ALTER FUNCTION sync.install_capture(regclass, text, text) RENAME TO install_capture_function;
CREATE FUNCTION sync.install_capture(target regclass, side text, entity text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM sync.install_capture_function(target, side, entity);
    PERFORM sync.capture_others_only(target);
END
$$;

SELECT sync.capture_others_only(tgrelid::regclass) FROM pg_trigger WHERE tgname = 'syncdesk_capture';
