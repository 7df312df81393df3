package io.embedrec.interaction;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.UUID;

/** One event of a user's history as the API shows it, with the item's title so a history reads without lookups. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserEvent(String id, String item, String title, String type, Double value, double weight, Instant timestamp,
                        UUID recommendationId) {
}
