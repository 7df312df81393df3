-- A job run start to end by one instance (training, evaluation) holds a lease that instance renews while it runs;
-- when the lease lapses (the instance died or was replaced under another name) any instance fails the job and
-- cleans up after it.
ALTER TABLE jobs ADD COLUMN lease_until timestamptz;
CREATE INDEX jobs_running_lease ON jobs (lease_until) WHERE state = 'running';
