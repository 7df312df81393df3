package io.embedrec.space;

import java.util.UUID;

/** Queues the job that builds (re-embeds) a space; implemented by the jobs feature. */
public interface BuildQueue {

    /** @return the id of the queued job */
    UUID queueBuild(Space space, String scope);
}
