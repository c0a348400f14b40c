-- Every applied change rewrites its link's baseline. With room left on each page PostgreSQL keeps
-- the new version beside the old one (a HOT update: no new entries in the three indexes), which
-- the set-based copy of plain changes measured as a third of its cost on a full page.
ALTER TABLE sync.links SET (fillfactor = 70);
