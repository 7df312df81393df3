package io.embedrec.interaction;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A user's profile: events counted by type, their span, and the categories of the items the user reacted to
 * positively (weight above zero), top five by event count.
 */
public record UserProfile(String id, Map<String, Long> events, long totalEvents, Instant firstEvent,
                          Instant lastEvent, List<CategoryCount> topCategories, Instant createdAt) {

    public record CategoryCount(String category, long count) {
    }
}
