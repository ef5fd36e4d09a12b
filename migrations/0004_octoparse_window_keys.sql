-- The keys of the rows stored in each storage-time window (issue 5): one batch per commit, the
-- concatenated 20-byte keys of that page's new rows. Reading a window again loads its keys and inserts
-- only rows whose keys are not among them. This replaces a unique index on each data table, which cost a
-- third of the insert speed (BENCHMARKS.md); data tables created before this migration keep theirs, and
-- it keeps working. Last-run tasks, whose one pseudo-window grows with every run, keep a unique index.
CREATE TABLE octoparse_window_keys (
    window_id  INTEGER NOT NULL REFERENCES octoparse_windows (id) ON DELETE CASCADE,
    keys       BLOB NOT NULL
);
CREATE INDEX octoparse_window_keys_by_window ON octoparse_window_keys (window_id);
