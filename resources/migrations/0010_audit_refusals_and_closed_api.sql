-- Refusals (401, 403, 408, 413, 415, 429 and malformed requests) are aggregated: one row per client,
-- minute, caller, action and status, with a count, so an anonymous flood costs a row a minute rather
-- than a row a request. `minute` is set on those rows only.
ALTER TABLE sync.audit_log
    ADD COLUMN status smallint,
    ADD COLUMN count integer NOT NULL DEFAULT 1,
    ADD COLUMN last_at timestamptz,
    ADD COLUMN minute timestamptz,
    -- The client's own X-Request-Id; request_id is always the server's.
    ADD COLUMN client_request_id text;
UPDATE sync.audit_log SET status = (details ->> 'status')::smallint WHERE details ? 'status';
CREATE UNIQUE INDEX audit_log_refusals_idx ON sync.audit_log (minute, client_address, actor, action, status)
    WHERE minute IS NOT NULL;

-- Once credentials have existed, the REST API never falls back to open local mode by itself (revoking
-- the last key must not open it to everyone on the machine): this row says it was closed, and only
-- `syncdesk --reopen-open-mode` removes it.
CREATE TABLE sync.api_access (
    closed     boolean PRIMARY KEY DEFAULT true CHECK (closed),
    closed_at  timestamptz NOT NULL DEFAULT now(),
    closed_by  text NOT NULL,
    reason     text NOT NULL
);

INSERT INTO sync.api_access (closed_by, reason)
SELECT 'migration', 'API keys existed before this version'
WHERE EXISTS (SELECT 1 FROM sync.api_keys);

-- Whoever creates a key (the command line, the window, the API, or SQL) closes open local mode.
CREATE FUNCTION sync.api_key_closes_open_mode() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sync.api_access (closed_by, reason)
    VALUES (NEW.created_by, format('API key %s was created', NEW.name))
    ON CONFLICT DO NOTHING;
    IF FOUND THEN
        INSERT INTO sync.audit_log (actor, action, target, result, details)
        VALUES (NEW.created_by, 'api.open_mode_closed', 'key_id=' || NEW.id, 'success',
                jsonb_build_object('reason', format('API key %s was created', NEW.name)));
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER api_key_closes_open_mode AFTER INSERT ON sync.api_keys
    FOR EACH ROW EXECUTE FUNCTION sync.api_key_closes_open_mode();
