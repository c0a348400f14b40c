-- The claim: pending events that are due, oldest first, locked for this batch. It must walk the
-- (status, id) index in order and stop at the limit. Planned from statistics in which pending events
-- were few (the usual state, taken before a backlog built up), it read every pending event and sorted
-- them instead, for every batch (40-80 ms a claim at 50,000 pending, a fifth of the catch-up rate).
-- The function forbids the sort and the bitmap scan while its one statement is planned.
CREATE FUNCTION sync.claim_pending(batch integer, excluding bigint[] DEFAULT '{}')
RETURNS SETOF sync.outbox LANGUAGE sql VOLATILE
SET enable_sort = off SET enable_bitmapscan = off AS $$
    SELECT * FROM sync.outbox
    WHERE status = 'pending' AND next_attempt_at <= now() AND id <> ALL(excluding)
    ORDER BY id LIMIT batch
    FOR UPDATE SKIP LOCKED
$$;
