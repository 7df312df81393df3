package io.embedrec.collaborative;

import jakarta.validation.constraints.Pattern;

/**
 * Body of {@code POST /v1/jobs/train}; every field is optional (defaults: {@code embedrec.collaborative.*}, and a
 * name {@code collaborative-<UTC timestamp>}).
 */
public record TrainingRequest(
        @Pattern(regexp = "[a-z0-9][a-z0-9_-]{0,62}",
                message = "must be 1–63 lowercase letters, digits, '-' or '_', starting with a letter or digit")
        String name,
        Integer factors,
        Double regularization,
        Double alpha,
        Integer iterations,
        Long seed,
        Double easeRegularization) {
}
