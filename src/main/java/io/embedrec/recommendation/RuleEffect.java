package io.embedrec.recommendation;

/** A business rule that moved an item, as its reason shows it: {@code {"rule": "new-arrivals", "effect": "+0.2"}}. */
public record RuleEffect(String rule, String effect) {
}
