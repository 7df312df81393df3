-- API keys managed at run time (beside the configured ones): only a SHA-256 of each key is stored; the key itself
-- is shown once, when it is created. A revoked key keeps its row (who had access when) and stops working.
CREATE TABLE api_keys (
    id           uuid        PRIMARY KEY,
    name         text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    prefix       text        NOT NULL,
    hash         bytea       NOT NULL UNIQUE,
    scope        text        NOT NULL CHECK (scope IN ('read', 'write', 'admin')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
