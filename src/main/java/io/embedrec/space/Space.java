package io.embedrec.space;

import java.time.Instant;
import java.util.Map;

/**
 * A vector space whose vectors live in their own table: a model and a text recipe (content), or vectors trained
 * from interactions, with how they were trained in {@code training} (collaborative; empty for content spaces).
 */
public record Space(int id, String name, Kind kind, String model, int dimensions, TextRecipe recipe, Storage storage,
                    Status status, boolean active, Instant createdAt, Instant activatedAt,
                    Map<String, Object> training) {

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
