-- The newest due changes, for the small batch a worker takes between two batches of a backlog.
-- Behind a bulk import (100,000 captured rows) a customer's single change waited until every row of
-- the import before it had been applied: seconds instead of milliseconds. While a worker finds full
-- batches it now alternates: one batch from the old end (claim_pending), one small batch from the
-- new end (this), each its own transaction, so a change made during a backlog waits for about half
-- a batch, not for the backlog. Reconciliation is state-based (it reads both rows as they are now),
-- so applying a record's later change before an earlier one leaves the same result; the earlier one
-- then finds nothing left to do.
--
-- Walks the (status, id) index backwards, the plan of claim_pending turned round (migration 0008).
CREATE FUNCTION sync.claim_newest(batch integer, excluding bigint[] DEFAULT '{}')
RETURNS SETOF sync.outbox LANGUAGE sql VOLATILE
SET enable_sort = off SET enable_bitmapscan = off AS $$
    SELECT * FROM sync.outbox
    WHERE status = 'pending' AND next_attempt_at <= now() AND id <> ALL(excluding)
    ORDER BY id DESC LIMIT batch
    FOR UPDATE SKIP LOCKED
$$;
