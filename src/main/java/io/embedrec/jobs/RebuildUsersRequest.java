package io.embedrec.jobs;

/** Body of {@code POST /v1/jobs/rebuild-users}: the content space to rebuild in, or every content space. */
public record RebuildUsersRequest(String space) {
}
