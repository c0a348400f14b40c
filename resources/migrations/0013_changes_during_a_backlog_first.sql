-- Changes made during a backlog go before it. Behind a bulk import (100,000 captured rows) a
-- customer's single change waited until every row of the import before it had been applied: seconds
-- instead of milliseconds. A worker that finds its claims full notes where the queue ended
-- (sync.outbox_high_water) and from then on alternates: one batch from the old end (claim_pending),
-- one small batch of the changes to linked records captured after that mark (claim_newer), each its
-- own transaction, moving the mark past what it looked at. A change made during the backlog waits for
-- about half a batch; the backlog itself is not taken twice over (had the small batches taken the newest events, they
-- would have eaten into an adoption's tickets before their customers were linked).
-- Reconciliation is state-based (it reads both rows as they are now), so applying a record's later
-- change before an earlier one leaves the same result; the earlier one then finds nothing to do.

-- Due events captured after `after`, oldest first: the (status, id) index from `after` on, the plan
-- of claim_pending (migration 0008). Only changes to records linked already: a record that is not
-- linked yet has its creation waiting in the backlog, and applying a later change first would create
-- it from its later state and skip what its earlier changes set off (a ticket's status propagated to
-- its conversation). With the helpdesk in a database of its own, its queue's links are not there and
-- its changes wait in order.
-- Looks at ids in (after, upto] only, so that a round passes over what it will not take once.
CREATE FUNCTION sync.claim_newer(batch integer, after bigint, upto bigint)
RETURNS SETOF sync.outbox LANGUAGE sql VOLATILE
SET enable_sort = off SET enable_bitmapscan = off AS $$
    SELECT o.* FROM sync.outbox o
    WHERE o.status = 'pending' AND o.next_attempt_at <= now() AND o.id > after AND o.id <= upto
      AND o.operation = 'update'
      AND EXISTS (SELECT 1 FROM sync.links l WHERE l.entity = o.entity AND l.state = 'active'
                  AND o.entity_id = CASE WHEN o.side = 'backend' THEN l.backend_id ELSE l.dashboard_id END)
    ORDER BY o.id LIMIT batch
    FOR UPDATE OF o SKIP LOCKED
$$;

-- The last id handed out for an event (events of open transactions may hold ids up to it).
CREATE FUNCTION sync.outbox_high_water() RETURNS bigint LANGUAGE sql VOLATILE AS $$
    SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM sync.outbox_id_seq
$$;
