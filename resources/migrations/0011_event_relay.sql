-- The event relay to NATS JetStream (issue 20): the events the engine announces, kept durably
-- until the broker has acknowledged them.

-- One row per committed transaction that produced relayed events, written in that transaction just
-- before its commit (so an event exists exactly when what it tells of was committed). One row, not
-- one per event: a batch of 1,000 changes writes one tuple and no index entry per event. `events`
-- holds one line per event, "<entity>.<kind>" TAB <JSON document without its id>, in the order the
-- engine announced them; the relay adds the id and publishes the line as it is, without parsing it.
--
-- `seq` is drawn when the row is written, after the transaction has locked the records it changed:
-- a later change of the same record waits for those locks and draws a higher number, and it
-- cannot be visible while this one is not. So publishing visible rows in `seq` order keeps every
-- record's events in order.
CREATE TABLE sync.relay_batches (
    seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    event_count  integer NOT NULL CHECK (event_count > 0),
    events       text NOT NULL
);
-- JSON text compresses well; lz4 costs the writing transaction far less CPU than the default pglz.
-- A server built without lz4 keeps the default.
DO $$
BEGIN
    ALTER TABLE sync.relay_batches ALTER COLUMN events SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available; relay batches use the default compression';
END
$$;

-- The relay's durable position. Published rows are deleted in the transaction that advances the
-- counters; `in_flight` names the rows of the round being published, in order, so that a relay that
-- takes over after a crash knows which messages the broker may already hold.
CREATE TABLE sync.relay_state (
    singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    source         text,      -- the first part of every message id; chosen by the first relay to run
    in_flight      bigint[] NOT NULL DEFAULT '{}',
    published      bigint NOT NULL DEFAULT 0,  -- events the broker acknowledged, all time
    published_at   timestamptz,
    expired        bigint NOT NULL DEFAULT 0,  -- events removed by the cleanup before they were published
    expired_at     timestamptz
);
INSERT INTO sync.relay_state DEFAULT VALUES;

-- Called by the cleanup: removes the rows recorded before `older_than` that no relay published (a
-- relay stopped for longer than the retention), counts them in sync.relay_state and records one
-- event, relay.events_expired, that tells consumers what they will never receive. Returns how many
-- events were removed.
CREATE FUNCTION sync.expire_relay_batches(older_than timestamptz)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    removed   bigint;
    batches   bigint;
    first_at  timestamptz;
    last_at   timestamptz;
BEGIN
    WITH gone AS (
        DELETE FROM sync.relay_batches
        WHERE recorded_at < older_than AND NOT seq = ANY ((SELECT in_flight FROM sync.relay_state)::bigint[])
        RETURNING event_count, recorded_at)
    SELECT coalesce(sum(event_count), 0), count(*), min(recorded_at), max(recorded_at)
      INTO removed, batches, first_at, last_at FROM gone;
    IF batches > 0 THEN
        UPDATE sync.relay_state SET expired = expired + removed, expired_at = now();
        INSERT INTO sync.relay_batches (event_count, events)
        VALUES (1, 'relay.events_expired' || E'\t' || jsonb_build_object(
            'kind', 'events_expired', 'entity', 'relay',
            'at', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'payload', jsonb_build_object('events', removed, 'batches', batches,
                                          'first_recorded_at', first_at, 'last_recorded_at', last_at))::text);
    END IF;
    RETURN removed;
END
$$;
