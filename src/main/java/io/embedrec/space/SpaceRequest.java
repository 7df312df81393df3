package io.embedrec.space;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.List;

/** Body of {@code POST /v1/spaces}. */
public record SpaceRequest(
        @NotBlank(message = "is required")
        @Pattern(regexp = "[a-z0-9][a-z0-9_-]{0,62}",
                message = "must be 1–63 lowercase letters, digits, '-' or '_', starting with a letter or digit")
        String name,
        String kind,
        String model,
        List<@NotNull(message = "must not be null") String> recipe,
        String storage,
        IndexRequest index) {

    /** HNSW build parameters; either may be left out (then the configured default, ef_construction ≥ 2·m). */
    public record IndexRequest(Integer m, Integer efConstruction) {
    }
}
