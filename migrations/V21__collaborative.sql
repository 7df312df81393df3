-- How a collaborative space was trained (algorithm, factors, regularisation, alpha, iterations, seed, the counts of
-- users, items and interactions it saw): shown with the space, so a rollback can be chosen knowingly. NULL for
-- content spaces, whose model and recipe say how their vectors were made.
ALTER TABLE spaces ADD COLUMN training jsonb;
