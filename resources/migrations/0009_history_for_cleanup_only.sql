-- Every applied change writes a history row, and each of its indexes costs the catch-up (writing
-- the history was a quarter of the statement that copies plain changes). Nothing reads the history
-- by record, and the cleanup reads it by time only; the rows arrive in time order, so a block-range
-- index finds old rows as well at almost no cost per insert.
DROP INDEX sync.history_link_idx;
DROP INDEX sync.history_at_idx;
CREATE INDEX history_at_brin ON sync.history USING brin (at);
