-- Click-through reports read rollups kept as answers are logged and events quote them, so a report over ten
-- million logged answers reads thousands of rows, not millions:
--   answer_counts:    answers served per day, strategy, experiment and variant ('' outside experiments);
--   answer_outcomes:  per answer that any event quoted, the event types seen (clicked / converted are decided by
--                     the configured types when reporting);
--   experiment_users: the users an experiment's variants served (assignment is fixed, so one row per user).
-- They are aggregates: pruning the log by age leaves them; erasing a user removes their rows from the last two.
CREATE TABLE answer_counts (
    day        date   NOT NULL,
    strategy   text   NOT NULL,
    experiment text   NOT NULL DEFAULT '',
    variant    text   NOT NULL DEFAULT '',
    answers    bigint NOT NULL,
    PRIMARY KEY (day, strategy, experiment, variant)
);
CREATE INDEX answer_counts_experiment ON answer_counts (experiment) WHERE experiment <> '';

CREATE TABLE answer_outcomes (
    recommendation_id uuid   PRIMARY KEY,
    day               date   NOT NULL,
    strategy          text   NOT NULL,
    experiment        text,
    variant           text,
    subject           text,
    types             text[] NOT NULL
);
CREATE INDEX answer_outcomes_experiment ON answer_outcomes (experiment, variant) WHERE experiment IS NOT NULL;
CREATE INDEX answer_outcomes_day ON answer_outcomes (day);

CREATE TABLE experiment_users (
    experiment text NOT NULL,
    subject    text NOT NULL,
    variant    text NOT NULL,
    PRIMARY KEY (experiment, subject)
);

INSERT INTO answer_counts (day, strategy, experiment, variant, answers)
SELECT (created_at AT TIME ZONE 'UTC')::date, strategy, coalesce(experiment, ''), coalesce(variant, ''), count(*)
FROM recommendations GROUP BY 1, 2, 3, 4;
INSERT INTO answer_outcomes (recommendation_id, day, strategy, experiment, variant, subject, types)
SELECT r.id, (r.created_at AT TIME ZONE 'UTC')::date, r.strategy, r.experiment, r.variant, r.subject,
       array_agg(DISTINCT e.type ORDER BY e.type)
FROM recommendations r JOIN events e ON e.recommendation_id = r.id GROUP BY r.id;
INSERT INTO experiment_users (experiment, subject, variant)
SELECT DISTINCT ON (experiment, subject) experiment, subject, variant FROM recommendations
WHERE experiment IS NOT NULL AND subject IS NOT NULL ORDER BY experiment, subject, created_at;
