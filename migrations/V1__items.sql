-- The catalog. `pk` is the internal key that vector and event tables reference (compact, never reused);
-- `external_id` is the client's id as it appears on the wire (`id`).
CREATE TABLE items (
    pk          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id text        NOT NULL,
    title       text        NOT NULL,
    description text        NOT NULL DEFAULT '',
    categories  text[]      NOT NULL DEFAULT '{}',
    attributes  jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT items_external_id_key UNIQUE (external_id),
    CONSTRAINT items_external_id_len CHECK (char_length(external_id) BETWEEN 1 AND 256),
    CONSTRAINT items_attributes_object CHECK (jsonb_typeof(attributes) = 'object')
);

-- Category filters (`categories && ARRAY[...]`) and attribute filters (`attributes @> '{"k": v}'`).
CREATE INDEX items_categories_idx ON items USING gin (categories);
CREATE INDEX items_attributes_idx ON items USING gin (attributes jsonb_path_ops);
