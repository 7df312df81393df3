-- Each space records the HNSW build parameters of its index (pgvector m and ef_construction), chosen when it is
-- created (POST /v1/spaces "index", else embedrec.spaces.hnsw-*): spaces built so far used pgvector's 16 and 64.
ALTER TABLE spaces ADD COLUMN hnsw_m integer NOT NULL DEFAULT 16 CHECK (hnsw_m BETWEEN 2 AND 100),
                   ADD COLUMN hnsw_ef_construction integer NOT NULL DEFAULT 64
                       CHECK (hnsw_ef_construction BETWEEN 4 AND 1000 AND hnsw_ef_construction >= 2 * hnsw_m);
