-- Caches of a table in each instance's memory (the spaces serving reads on every request) are told of every change
-- to it, whoever makes it: this trigger sends NOTIFY embedrec_changes with the table's topic, which PostgreSQL
-- delivers when the writing transaction commits (and once per transaction, however many rows changed).
CREATE FUNCTION embedrec_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('embedrec_changes', TG_ARGV[0]);
    RETURN NULL;
END
$$;

CREATE TRIGGER spaces_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON spaces
    FOR EACH STATEMENT EXECUTE FUNCTION embedrec_notify_change('spaces');
