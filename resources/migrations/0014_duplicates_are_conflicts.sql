-- A customer new on one side whose e-mail, ignoring case, another customer already holds on the
-- other side is a possible duplicate: a person decides. Before, it was copied (a case variant made a
-- second person with the same address) or, with the exact address, failed on the unique index until
-- its event was dead.
--
-- While the decision waits the new record has a link of its own with no counterpart (state
-- 'duplicate'), so its later changes wait with it and the consistency check does not queue it again.
-- "Keep apart" leaves that link as 'kept_apart': the record stays on its side only. "Create anyway"
-- removes the link and queues the record; the resolved conflict is the permission the engine finds.
ALTER TABLE sync.links DROP CONSTRAINT links_state_check;
ALTER TABLE sync.links ADD CONSTRAINT links_state_check
    CHECK (state IN ('active', 'deleted_in_backend', 'deleted_in_dashboard', 'duplicate', 'kept_apart'));

ALTER TABLE sync.conflicts DROP CONSTRAINT conflicts_kind_check;
ALTER TABLE sync.conflicts ADD CONSTRAINT conflicts_kind_check CHECK (kind IN ('field', 'deleted', 'duplicate'));

-- The engine asks, for the records that clash, whether a person allowed them: few rows, kept apart.
CREATE INDEX conflicts_duplicates_allowed ON sync.conflicts (entity)
    WHERE kind = 'duplicate' AND resolution = 'create_anyway';
