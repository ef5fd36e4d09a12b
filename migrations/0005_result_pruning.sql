-- `harvest prune --results-older-than` (issue 6) drops the contents of old result pages and keeps their
-- rows (type, page, status, URL, size) and the jobs: `content` becomes NULL and `pruned_at` says when.
ALTER TABLE oxylabs_results ADD COLUMN pruned_at TEXT;
