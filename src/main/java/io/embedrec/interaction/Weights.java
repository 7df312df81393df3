package io.embedrec.interaction;

import java.util.Map;
import java.util.Optional;

/**
 * Event types and their weights; {@code rating} maps its value through a centre and a scale, so 5 stars (centre 3,
 * scale 2.5) weighs +5 and 1 star -5. Pure.
 */
public record Weights(Map<String, Double> byType, double ratingCentre, double ratingScale, double ratingMin,
                      double ratingMax) {

    public static final String RATING = "rating";

    public boolean known(String type) {
        return RATING.equals(type) || byType.containsKey(type);
    }

    /** The weight of an event, or empty when its value is missing or out of range for a rating. */
    public Optional<Double> weight(String type, Double value) {
        if (RATING.equals(type)) {
            if (value == null || !Double.isFinite(value) || value < ratingMin || value > ratingMax) {
                return Optional.empty();
            }
            return Optional.of((value - ratingCentre) * ratingScale);
        }
        Double w = byType.get(type);
        return Optional.ofNullable(w);
    }
}
