package io.embedrec.console;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/** Body of {@code PUT /v1/spaces/{name}/map}: the projection the browser computed. */
public record SpaceMapRequest(
        @NotNull(message = "is required") @Pattern(regexp = "umap|tsne|pca", message = "must be 'umap', 'tsne' or 'pca'")
        String method,
        @NotNull(message = "is required") @Size(max = 50_000, message = "must hold at most 50000 points")
        List<@Valid @NotNull(message = "must not be null") Point> points,
        @Min(value = 0, message = "must not be negative")
        Long vectorCount) {

    public record Point(@NotBlank(message = "is required") String id, double x, double y) {
    }
}
