-- Oxylabs readings (issue 13): what Harvest must not take on trust, and the submission rate it uses.
--
-- oxylabs_jobs.remote_status_source
--     who said the job's remote_status last: 'status' (Oxylabs' own answer, read with credentials) or
--     'callback' (unsigned, a hint). A results answer without a `job` object is stored as done only when
--     the status endpoint said done; after a callback the status endpoint is asked first.
-- harvest_accounts.submission_rate
--     Oxylabs: the submissions per second Harvest allows itself, as last recorded by a running service.
-- harvest_accounts.submission_limit
--     Oxylabs: the limit its rate headers announce (NULL: none announced, so Harvest probes for it).
-- harvest_accounts.submission_rate_refused
--     Oxylabs: the rate in use when the last 429 came (NULL: none yet).
ALTER TABLE oxylabs_jobs ADD COLUMN remote_status_source TEXT CHECK (remote_status_source IN ('status', 'callback'));
ALTER TABLE harvest_accounts ADD COLUMN submission_rate REAL;
ALTER TABLE harvest_accounts ADD COLUMN submission_limit INTEGER;
ALTER TABLE harvest_accounts ADD COLUMN submission_rate_refused REAL;
