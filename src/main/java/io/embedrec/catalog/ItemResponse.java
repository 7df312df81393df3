package io.embedrec.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An item as the API returns it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemResponse(String id, String title, String description, List<String> categories,
                           Map<String, Object> attributes, boolean available, Instant availableFrom,
                           Instant availableUntil, Instant createdAt, Instant updatedAt,
                           Map<String, VectorStatus> vectors) {

    /** The item's vector in one space: {@code ready}, {@code pending}, or {@code failed} with the reason. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VectorStatus(String status, String reason) {
    }

    static ItemResponse of(Item i) {
        return new ItemResponse(i.externalId, i.title, i.description, i.categories, i.attributes, i.available,
                i.availableFrom, i.availableUntil, i.createdAt, i.updatedAt, null);
    }

    ItemResponse withVectors(Map<String, VectorStatus> v) {
        return new ItemResponse(id, title, description, categories, attributes, available, availableFrom,
                availableUntil, createdAt, updatedAt, v);
    }
}
