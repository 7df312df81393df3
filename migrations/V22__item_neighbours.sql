-- The item-item model a collaborative training learns beside its ALS vectors (EASE, or item-kNN on catalogs too
-- large for EASE): for each item the items its fans go on to like, with a weight. A feed scores candidate j by the
-- sum of weight(i, j) over the user's positive items i. Rows belong to the collaborative space trained with them,
-- so activating, rolling back or dropping that space switches or drops the model with it.
CREATE TABLE item_neighbours (
    space_id     integer NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    item_pk      bigint  NOT NULL REFERENCES items (pk) ON DELETE CASCADE,
    neighbour_pk bigint  NOT NULL REFERENCES items (pk) ON DELETE CASCADE,
    weight       real    NOT NULL,
    PRIMARY KEY (space_id, item_pk, neighbour_pk)
);
CREATE INDEX item_neighbours_neighbour ON item_neighbours (neighbour_pk);
