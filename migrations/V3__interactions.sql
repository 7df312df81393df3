-- Users as the client names them; created by their first event.
CREATE TABLE users (
    pk          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id text        NOT NULL UNIQUE CHECK (char_length(external_id) BETWEEN 1 AND 256),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Interactions. event_id is the client's id: a replay of the same id changes nothing.
CREATE TABLE events (
    pk                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id          text             NOT NULL UNIQUE,
    user_pk           bigint           NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    item_pk           bigint           NOT NULL REFERENCES items (pk) ON DELETE CASCADE,
    type              text             NOT NULL,
    value             double precision,
    weight            double precision NOT NULL,
    ts                timestamptz      NOT NULL,
    recommendation_id uuid,
    received_at       timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX events_user_ts ON events (user_pk, ts DESC, pk DESC);
CREATE INDEX events_item ON events (item_pk);
CREATE INDEX events_recommendation ON events (recommendation_id) WHERE recommendation_id IS NOT NULL;

-- User vectors per space. `sum` is the un-normalised, decayed sum of weight x item vector, kept relative to the
-- user's newest event (`ref_ts`, `ref_count`) so it never underflows however old the history; `embedding` is its
-- normalised form, the query vector of the feed. Double precision keeps incremental updates equal to a rebuild.
CREATE TABLE user_vectors (
    space_id   integer          NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    user_pk    bigint           NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    sum        double precision[] NOT NULL,
    embedding  vector,                     -- normalised sum (float4); NULL while the sum is zero
    ref_ts     timestamptz      NOT NULL,
    ref_count  bigint           NOT NULL,
    positives  bigint           NOT NULL,
    negatives  bigint           NOT NULL,
    updated_at timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (space_id, user_pk)
);

-- Users whose vector must be rebuilt from history in a space (an item vector arrived or changed, an item was
-- deleted, an event came out of order); drained by the workers.
CREATE TABLE user_rebuild_queue (
    space_id    integer     NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    user_pk     bigint      NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    enqueued_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (space_id, user_pk)
);

-- Time-decayed popularity: log2 of sum(weight x 2^((t - epoch) / half-life)), so that ranking by log_score ranks by
-- popularity now, and updates are a log-sum-exp that never overflows.
CREATE TABLE item_popularity (
    item_pk   bigint           PRIMARY KEY REFERENCES items (pk) ON DELETE CASCADE,
    log_score double precision NOT NULL,
    events    bigint           NOT NULL DEFAULT 0
);
CREATE INDEX item_popularity_rank ON item_popularity (log_score DESC);
