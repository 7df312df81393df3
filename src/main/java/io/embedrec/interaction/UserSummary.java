package io.embedrec.interaction;

import java.time.Instant;

/** A user in the user list: id, number of events, and the first and last event's time (null without events). */
public record UserSummary(String id, long events, Instant firstEvent, Instant lastEvent) {
}
