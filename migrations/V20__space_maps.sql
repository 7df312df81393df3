-- The console's 2-D embedding map, one per space: computed once (in the browser, umap-js in a Web Worker, or PCA)
-- and saved through PUT /v1/spaces/{name}/map so visitors do not recompute it. Points reference items by pk, so a
-- deleted item leaves the map with it; vector_count and created_at tell how stale the map has become.
CREATE TABLE space_maps (
    space_id     integer     PRIMARY KEY REFERENCES spaces (id) ON DELETE CASCADE,
    method       text        NOT NULL CHECK (method IN ('umap', 'tsne', 'pca')),
    vector_count bigint      NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE space_map_points (
    space_id integer NOT NULL REFERENCES space_maps (space_id) ON DELETE CASCADE,
    item_pk  bigint  NOT NULL REFERENCES items (pk) ON DELETE CASCADE,
    x        real    NOT NULL,
    y        real    NOT NULL,
    PRIMARY KEY (space_id, item_pk)
);
