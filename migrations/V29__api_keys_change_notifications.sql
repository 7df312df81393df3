-- Each instance keeps the active API keys in memory: a key created, revoked or re-scoped anywhere (another instance,
-- psql) is announced like a change of spaces (V27), so every instance reloads its keys within milliseconds instead
-- of at its next periodic refresh. Writing last_used_at (every few seconds while keys are used) is not announced.
CREATE TRIGGER api_keys_changed AFTER INSERT OR DELETE OR UPDATE OF revoked_at, scope, hash ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION embedrec_notify_change('api_keys');
CREATE TRIGGER api_keys_truncated AFTER TRUNCATE ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION embedrec_notify_change('api_keys');
