package io.embedrec.space;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A space as the API shows it, with its vector counts by status; a collaborative space also shows how it was
 * trained ({@code training}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SpaceResponse(String name, String kind, String model, int dimensions, List<String> recipe,
                            String storage, String status, boolean active, Vectors vectors, Instant createdAt,
                            Instant activatedAt, UUID buildJob, Map<String, Object> training, Index index) {

    /** The HNSW build parameters of the space's index. */
    public record Index(int m, int efConstruction) {
    }

    public record Vectors(long ready, long pending, long failed) {
    }

    static SpaceResponse of(Space s, VectorRepository.Counts c, UUID buildJob) {
        return new SpaceResponse(s.name(), SpaceRepository.wire(s.kind()), s.model(), s.dimensions(),
                s.recipe().fields(), SpaceRepository.wire(s.storage()), SpaceRepository.wire(s.status()), s.active(),
                new Vectors(c.ready(), c.pending(), c.failed()), s.createdAt(), s.activatedAt(), buildJob,
                s.training().isEmpty() ? null : s.training(), new Index(s.index().m(), s.index().efConstruction()));
    }
}
