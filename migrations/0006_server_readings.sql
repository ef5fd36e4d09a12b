-- What an Octoparse account's server does where the documents leave it open, learned from its answers
-- (issue 13; NULL: not yet known). Harvest is correct whatever these say; a wrong one costs requests.
-- by_time_total: what `total` of a by-time answer counts, the window asked for or the whole task.
-- page_index: whether `pageindex` is a page number (the seed) or a row offset (refused).
ALTER TABLE harvest_accounts ADD COLUMN by_time_total TEXT CHECK (by_time_total IN ('window', 'task'));
ALTER TABLE harvest_accounts ADD COLUMN page_index TEXT CHECK (page_index IN ('page', 'offset'));
