-- A/B experiments on feeds: named variants with traffic shares, each setting the strategy, hybrid weights and rule
-- set. Users are assigned by a hash of the experiment's salt and the user id (no table of assignments: stable across
-- requests and instances). Each answer served under an experiment is logged with it, so events quoting its
-- recommendation_id are attributed to the variant.
CREATE TABLE experiments (
    name          text        PRIMARY KEY,
    salt          text        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('running', 'stopped', 'concluded')),
    variants      jsonb       NOT NULL,
    winner        text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
-- one experiment runs on the feeds at a time: two would split the same users two ways
CREATE UNIQUE INDEX experiments_one_running ON experiments ((true)) WHERE status = 'running';

ALTER TABLE recommendations ADD COLUMN experiment text, ADD COLUMN variant text;
CREATE INDEX recommendations_experiment ON recommendations (experiment, variant) WHERE experiment IS NOT NULL;
CREATE INDEX recommendations_strategy ON recommendations (strategy, created_at);

CREATE TRIGGER experiments_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON experiments
    FOR EACH STATEMENT EXECUTE FUNCTION embedrec_notify_change('experiments');
