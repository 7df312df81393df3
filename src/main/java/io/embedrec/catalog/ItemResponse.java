package io.embedrec.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An item as the API returns it. */
public record ItemResponse(String id, String title, String description, List<String> categories,
                           Map<String, Object> attributes, Instant createdAt, Instant updatedAt) {

    static ItemResponse of(Item i) {
        return new ItemResponse(i.externalId, i.title, i.description, i.categories, i.attributes, i.createdAt,
                i.updatedAt);
    }
}
