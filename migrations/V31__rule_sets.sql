-- Saved, named, versioned business rule sets (filters, boosts, buries, pins): every PUT of a name adds a version,
-- requests name a set (rules=<name>, its latest version), and the default set (at most one) applies when a request
-- names none. Each instance caches both tables and hears of changes through embedrec_changes.
CREATE TABLE rule_sets (
    name        text        NOT NULL,
    version     integer     NOT NULL,
    rules       jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, version)
);

CREATE TABLE rule_set_default (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    name       text    NOT NULL
);

CREATE TRIGGER rule_sets_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rule_sets
    FOR EACH STATEMENT EXECUTE FUNCTION embedrec_notify_change('rule_sets');
CREATE TRIGGER rule_set_default_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rule_set_default
    FOR EACH STATEMENT EXECUTE FUNCTION embedrec_notify_change('rule_sets');
