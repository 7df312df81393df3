package io.embedrec.jobs;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** Body of {@code POST /v1/jobs/reembed}. */
public record ReembedRequest(
        @NotBlank(message = "is required") String space,
        @Pattern(regexp = "all|stale", message = "must be 'all' or 'stale'") String scope) {
}
