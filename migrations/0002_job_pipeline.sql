-- The Oxylabs pipeline's bookkeeping on each job (issue 4).
--
-- remote_status      what Oxylabs last said: pending, done or faulted (NULL before submission).
-- remote_created_at, remote_finished_at
--                    Oxylabs' created_at and final updated_at (whole seconds, its clock), for learning
--                    how long jobs of a source take.
-- last_polled_at     the last status poll that still saw the job pending.
-- errors             consecutive transient errors on the job's current step (a poll is not an error).
-- lease_owner, lease_expires_at
--                    which process works on the job right now; an expired lease may be taken over.
ALTER TABLE oxylabs_jobs ADD COLUMN remote_status TEXT CHECK (remote_status IN ('pending', 'done', 'faulted'));
ALTER TABLE oxylabs_jobs ADD COLUMN remote_created_at TEXT;
ALTER TABLE oxylabs_jobs ADD COLUMN remote_finished_at TEXT;
ALTER TABLE oxylabs_jobs ADD COLUMN last_polled_at TEXT;
ALTER TABLE oxylabs_jobs ADD COLUMN errors INTEGER NOT NULL DEFAULT 0;
ALTER TABLE oxylabs_jobs ADD COLUMN lease_owner TEXT;
ALTER TABLE oxylabs_jobs ADD COLUMN lease_expires_at TEXT;

-- Callbacks name the remote id; the fetcher finds done jobs by remote status.
CREATE INDEX oxylabs_jobs_open_by_remote_status ON oxylabs_jobs (remote_status, next_action_at)
    WHERE status = 'pending';

-- When Harvest learned that Oxylabs had finished the job (a poll or a callback): with
-- remote_finished_at, the detection delay the poll schedule is tuned for.
ALTER TABLE oxylabs_jobs ADD COLUMN detected_at TEXT;
