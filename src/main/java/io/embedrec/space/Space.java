package io.embedrec.space;

import java.time.Instant;
import java.util.Map;

/**
 * A vector space whose vectors live in their own table: a model and a text recipe (content), or vectors trained
 * from interactions, with how they were trained in {@code training} (collaborative; empty for content spaces).
 */
public record Space(int id, String name, Kind kind, String model, int dimensions, TextRecipe recipe, Storage storage,
                    Status status, boolean active, Instant createdAt, Instant activatedAt,
                    Map<String, Object> training, Index index) {

    /**
     * How the space's HNSW index is built (pgvector's {@code m}: links per node; {@code ef_construction}: the
     * candidate list while inserting): larger values give better recall at a given {@code ef_search}, and cost
     * build time and memory.
     */
    public record Index(int m, int efConstruction) {
        public static final int MAX_M = 100;
        public static final int MAX_EF_CONSTRUCTION = 1000;

        /** What is wrong with these values (pgvector's limits), or null. */
        public String problem() {
            if (m < 2 || m > MAX_M) {
                return "m must be between 2 and " + MAX_M + " (got " + m + ")";
            }
            if (efConstruction < 4 || efConstruction > MAX_EF_CONSTRUCTION) {
                return "ef_construction must be between 4 and " + MAX_EF_CONSTRUCTION + " (got " + efConstruction + ")";
            }
            if (efConstruction < 2 * m) {
                return "ef_construction must be at least twice m (got m " + m + ", ef_construction " + efConstruction
                        + ")";
            }
            return null;
        }
    }

    /** content: items embedded from their text; collaborative: item vectors learned from events. */
    public enum Kind { CONTENT, COLLABORATIVE }

    public enum Storage { VECTOR, HALFVEC }

    /** building: vectors loading, no index yet; ready: indexed and servable. */
    public enum Status { BUILDING, READY }

    /** The table holding this space's vectors; derived from the id, never from client text. */
    public String table() {
        return "item_vectors_" + id;
    }

    /** The SQL type of a vector column of this space, e.g. {@code vector(384)}. */
    public String columnType() {
        return (storage == Storage.HALFVEC ? "halfvec" : "vector") + "(" + dimensions + ")";
    }

    /** The operator class of the HNSW cosine index. */
    String cosineOps() {
        return storage == Storage.HALFVEC ? "halfvec_cosine_ops" : "vector_cosine_ops";
    }
}
