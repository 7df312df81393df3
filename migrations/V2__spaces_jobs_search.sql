-- Vector spaces. Each space keeps its vectors in a table of its own, item_vectors_<id>, created by the service
-- with the space's dimensions and storage type (vector or halfvec) and its own HNSW cosine index: pgvector columns
-- have a fixed size, spaces differ in size, and dropping a space is then a DROP TABLE.
CREATE TABLE spaces (
    id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text        NOT NULL UNIQUE,
    kind         text        NOT NULL CHECK (kind IN ('content', 'collaborative')),
    model        text        NOT NULL,
    dimensions   integer     NOT NULL CHECK (dimensions BETWEEN 1 AND 16000),
    recipe       jsonb       NOT NULL,
    storage      text        NOT NULL CHECK (storage IN ('vector', 'halfvec')),
    -- building: vectors are being loaded, no index yet; ready: indexed and servable; retired: kept for rollback
    status       text        NOT NULL DEFAULT 'building' CHECK (status IN ('building', 'ready')),
    active       boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    activated_at timestamptz
);
-- exactly one active space per kind: the switch is one transaction flipping two rows
CREATE UNIQUE INDEX spaces_one_active_per_kind ON spaces (kind) WHERE active;

-- Items whose text (per space recipe) changed, or that a job asked to re-embed. Written in the same transaction as
-- the item, consumed by workers; a row disappears in the same transaction that writes the item's vector.
CREATE TABLE embedding_queue (
    space_id      integer     NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    item_pk       bigint      NOT NULL REFERENCES items (pk) ON DELETE CASCADE,
    text_hash     bytea,                 -- hash of the text to embed; NULL = forced re-embed (job scope 'all')
    job_id        uuid,
    enqueued_at   timestamptz NOT NULL DEFAULT now(),
    claimed_by    text,
    claimed_until timestamptz,
    attempts      integer     NOT NULL DEFAULT 0,
    failed        boolean     NOT NULL DEFAULT false,
    last_error    text,
    PRIMARY KEY (space_id, item_pk)
);
CREATE INDEX embedding_queue_claimable ON embedding_queue (space_id, enqueued_at) WHERE NOT failed;
CREATE INDEX embedding_queue_job ON embedding_queue (job_id) WHERE job_id IS NOT NULL;
CREATE INDEX embedding_queue_item ON embedding_queue (item_pk);

-- Long operations (re-embedding, rebuilds, training, evaluation) share this shape.
CREATE TABLE jobs (
    id           uuid        PRIMARY KEY,
    type         text        NOT NULL,
    state        text        NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    params       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    total        bigint      NOT NULL DEFAULT 0,
    done         bigint      NOT NULL DEFAULT 0,
    skipped      bigint      NOT NULL DEFAULT 0,
    failed       bigint      NOT NULL DEFAULT 0,
    failures     jsonb       NOT NULL DEFAULT '[]'::jsonb,
    error        text,
    result       jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    started_at   timestamptz,
    finished_at  timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_created ON jobs (created_at DESC);

-- Every similar/search/feed answer gets an id that events may quote, so click-through per strategy is measurable.
CREATE TABLE recommendations (
    id         uuid        PRIMARY KEY,
    strategy   text        NOT NULL,
    space_id   integer,
    subject    text,
    item_ids   text[]      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- array_to_string is only STABLE (element output functions could in theory change); for text[] it is immutable,
-- which a generated column needs.
CREATE FUNCTION embedrec_words(text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string($1, ' ') $$;

-- Keyword search: title weighs more than categories, categories more than description.
ALTER TABLE items ADD COLUMN search_doc tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('simple', embedrec_words(categories)), 'B') ||
    setweight(to_tsvector('english', left(description, 20000)), 'C')
) STORED;
CREATE INDEX items_search_doc_idx ON items USING gin (search_doc);
