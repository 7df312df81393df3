-- How a collaborative space was trained (algorithm, factors, regularisation, alpha, iterations, seed, the counts of
-- users, items and interactions it saw): shown with the space, so a rollback can be chosen knowingly. NULL for
-- content spaces, whose model and recipe say how their vectors were made.
ALTER TABLE spaces ADD COLUMN training jsonb;

-- The instance (embedrec.jobs.worker-id) that started a job. Jobs run start to end by one instance (training,
-- evaluation) that are still running when that instance starts again were interrupted by its restart: it fails them
-- and cleans up after them (a training drops its unfinished space).
ALTER TABLE jobs ADD COLUMN worker text;
