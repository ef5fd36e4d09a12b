-- The Octoparse syncer's bookkeeping on each task (issue 5).
--
-- caught_up      1 when the task's last sync reached the present (by time: the cursor at the horizon, now
--                minus the safety lag; other modes: nothing left to read). `serve --until-idle` waits for it.
-- window_length  seconds of the task's last storage-time window, from which the next is sized.
-- export_batch   not-exported mode: the hash of a `gettop` batch whose rows are stored but whose `update`
--                is not yet confirmed, so that the same batch returned again is not stored twice.
-- pages_fetched  data pages read for the task, for `harvest tasks show`.
ALTER TABLE octoparse_tasks ADD COLUMN caught_up INTEGER NOT NULL DEFAULT 0 CHECK (caught_up IN (0, 1));
ALTER TABLE octoparse_tasks ADD COLUMN window_length INTEGER;
ALTER TABLE octoparse_tasks ADD COLUMN export_batch TEXT;
ALTER TABLE octoparse_tasks ADD COLUMN pages_fetched INTEGER NOT NULL DEFAULT 0;

-- Complete windows near the present are re-checked for late commits.
CREATE INDEX octoparse_windows_by_end ON octoparse_windows (task_id, to_time);
