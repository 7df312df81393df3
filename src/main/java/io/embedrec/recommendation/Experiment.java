package io.embedrec.recommendation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.embedrec.common.ProblemException.FieldError;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An A/B experiment on the feeds: variants with traffic shares (the first is the control), each setting the feed's
 * strategy ({@code default}: the pipeline; {@code content}: the content space alone; {@code popular}: most popular),
 * hybrid weights and rule set. A user's variant is a pure function of the salt and the user id.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Experiment(String name, String salt, String status, List<Variant> variants, String winner,
                         Instant createdAt, Instant updatedAt) {

    /** One arm: its share of users (the shares sum to 1) and what it changes. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Variant(String name, Double share, String strategy, String weights, String rules) {
    }

    public enum Status { RUNNING, STOPPED, CONCLUDED }

    static final List<String> STRATEGIES = List.of("default", "content", "popular");
    static final int MAX_VARIANTS = 10;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    Variant control() {
        return variants.get(0);
    }

    /**
     * The user's variant: the first 8 bytes of SHA-256(salt + ':' + user) as a fraction of 2^64 falls in one
     * variant's slice of [0, 1). The same on every instance and every request, and independent across experiments
     * (each has its own salt).
     */
    Variant assign(String userId) {
        double u = unit(salt + ":" + userId);
        double edge = 0;
        for (Variant v : variants) {
            edge += v.share();
            if (u < edge) {
                return v;
            }
        }
        return variants.get(variants.size() - 1); // shares summing to 1 - 1e-12
    }

    static double unit(String key) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
        long bits = 0;
        for (int b = 0; b < 8; b++) {
            bits = (bits << 8) | (h[b] & 0xff);
        }
        // the top 53 bits as a double in [0, 1)
        return (bits >>> 11) * 0x1.0p-53;
    }

    Optional<Variant> variant(String name) {
        return variants.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** What is wrong with these variants, by field; empty when fine. */
    static List<FieldError> problems(List<Variant> variants) {
        List<FieldError> errors = new ArrayList<>();
        if (variants == null || variants.size() < 2 || variants.size() > MAX_VARIANTS) {
            errors.add(new FieldError("variants", "give 2 to " + MAX_VARIANTS + " variants; the first is the "
                    + "control"));
            return errors;
        }
        Set<String> names = new HashSet<>();
        double total = 0;
        for (int v = 0; v < variants.size(); v++) {
            Variant x = variants.get(v);
            String at = "variants[" + v + "]";
            if (x == null) {
                errors.add(new FieldError(at, "must be a variant object"));
                continue;
            }
            if (!validName(x.name())) {
                errors.add(new FieldError(at + ".name", "is required: 1–64 letters, digits, '-', '_' or '.'"));
            } else if (!names.add(x.name())) {
                errors.add(new FieldError(at + ".name", "'" + x.name() + "' names two variants"));
            }
            if (x.share() == null || !(x.share() > 0 && x.share() <= 1)) {
                errors.add(new FieldError(at + ".share", "must be above 0 and at most 1"));
            } else {
                total += x.share();
            }
            if (x.strategy() != null && !STRATEGIES.contains(x.strategy())) {
                errors.add(new FieldError(at + ".strategy", "must be one of " + STRATEGIES));
            }
            if (x.weights() != null) {
                try {
                    HybridWeights.parse(x.weights(), new HybridWeights(1, 1, 1, 1));
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError(at + ".weights", e.getMessage()));
                }
            }
        }
        if (errors.isEmpty() && Math.abs(total - 1) > 1e-9) {
            errors.add(new FieldError("variants", "the shares must add up to 1 (they add up to "
                    + Math.round(total * 1e6) / 1e6 + ")"));
        }
        return errors;
    }
}
