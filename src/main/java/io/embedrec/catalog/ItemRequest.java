package io.embedrec.catalog;

import io.embedrec.common.NoNul;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An item as a client sends it: the body of {@code PUT /v1/items/{id}} (where {@code id} may be omitted) and one line
 * of an NDJSON import (where it is required).
 */
public record ItemRequest(
        String id,
        @NotBlank(message = "is required")
        @Size(max = 1000, message = "must be at most 1000 characters")
        @NoNul
        String title,
        @Size(max = 100_000, message = "must be at most 100000 characters")
        @NoNul
        String description,
        @Size(max = 64, message = "must have at most 64 categories")
        List<@NotNull(message = "must not be null")
             @NotBlank(message = "must not be blank")
             @Size(max = 128, message = "must be at most 128 characters")
             @NoNul String> categories,
        @FlatAttributes
        Map<String, Object> attributes,
        Boolean available,
        Instant availableFrom,
        Instant availableUntil) {

    /** The same item with absent optional fields filled in ({@code ""}, no categories, no attributes). */
    ItemRequest normalised(String withId) {
        return new ItemRequest(withId, title.strip(), description == null ? "" : description,
                categories == null ? List.of() : categories.stream().map(String::strip).distinct().toList(),
                attributes == null ? Map.of() : attributes, available, availableFrom, availableUntil);
    }

    /**
     * The availability this item sets, if any: given fields replace the stored ones, absent ones are kept (a catalog
     * feed that knows nothing of stock does not put sold-out items back on sale).
     */
    Optional<Availability> availability() {
        if (available == null && availableFrom == null && availableUntil == null) {
            return Optional.empty();
        }
        return Optional.of(new Availability(id, available, availableFrom != null, availableFrom,
                availableUntil != null, availableUntil));
    }
}
