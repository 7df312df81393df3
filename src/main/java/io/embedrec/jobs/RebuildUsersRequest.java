package io.embedrec.jobs;

/** Body of {@code POST /v1/jobs/rebuild-users}: the space to rebuild in, or every space. */
public record RebuildUsersRequest(String space) {
}
