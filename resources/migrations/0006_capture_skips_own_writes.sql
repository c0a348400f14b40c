-- SyncDesk's own writes (SET LOCAL syncdesk.origin) were skipped inside the capture function, after
-- PostgreSQL had queued an after-trigger event and called PL/pgSQL for every row: about a tenth of
-- the cost of each row the engine applies (docs/benchmarks.md). A WHEN condition on the trigger is
-- evaluated before anything is queued. The function keeps its own check as well.
ALTER FUNCTION sync.install_capture(regclass, text, text) RENAME TO install_capture_function;

CREATE FUNCTION sync.install_capture(target regclass, side text, entity text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    capture regproc;
BEGIN
    PERFORM sync.install_capture_function(target, side, entity);
    SELECT tgfoid::regproc INTO capture FROM pg_trigger WHERE tgrelid = target AND tgname = 'syncdesk_capture';
    EXECUTE format('DROP TRIGGER syncdesk_capture ON %s', target);
    EXECUTE format('CREATE TRIGGER syncdesk_capture AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW '
                   'WHEN (coalesce(current_setting(''syncdesk.origin'', true), '''') = '''') '
                   'EXECUTE FUNCTION %s()', target, capture);
END
$$;

SELECT sync.install_capture('backend.users', 'backend', 'customer');
SELECT sync.install_capture('backend.conversations', 'backend', 'conversation');
SELECT sync.install_capture('backend.messages', 'backend', 'message');
SELECT sync.install_capture('backend.tickets', 'backend', 'ticket');
SELECT sync.install_capture('dashboard.customers', 'dashboard', 'customer');
SELECT sync.install_capture('dashboard.tickets', 'dashboard', 'ticket');
