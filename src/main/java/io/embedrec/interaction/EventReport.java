package io.embedrec.interaction;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The answer to an event batch: how many were received, newly accepted, replays of an accepted id (ignored), and
 * rejected, with each rejected event's position (index in a JSON array, line in NDJSON/CSV) and why.
 */
public record EventReport(long received, long accepted, long duplicates, long rejected, List<EventError> errors,
                          boolean errorsTruncated) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventError(Long index, Long line, String id, String detail) {
    }
}
