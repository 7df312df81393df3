package io.embedrec.recommendation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.embedrec.common.ProblemException.FieldError;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A business rule, applied on every path (similar, feeds, recommend, search) after the ranking:
 * <ul>
 * <li>{@code filter}: only items matching {@code when} (hard, in the candidate query, so k still come back);</li>
 * <li>{@code boost} / {@code bury}: items matching {@code when} move up / down: {@code by} (0–1) is added to /
 * taken from the item's score scaled to 0–1 over the candidates, {@code factor} (1–10) multiplies / divides it;</li>
 * <li>{@code pin}: the {@code items} at {@code position} (1-based, in order), when they pass every filter.</li>
 * </ul>
 * A condition uses the filter language (categories: any of; attributes: equal; ranges) plus
 * {@code seen_within_days} / {@code not_seen_within_days} (by the user the answer is for; without one, nothing is
 * seen) and {@code trending: true} (the item trends now, see {@link TrendingService}; boosts and buries only).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rule(String name, String effect, Condition when, Double by, Double factor, List<String> items,
                   Integer position) {

    /** When a rule applies to an item. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Condition(List<String> categories, Map<String, Object> attributes, Map<String, Filters.Range> ranges,
                            Integer seenWithinDays, Integer notSeenWithinDays, Boolean trending) {

        /** The content part of the condition as filters. */
        Filters filters() {
            return new Filters(categories, attributes, ranges, List.of());
        }

        boolean aboutHistory() {
            return seenWithinDays != null || notSeenWithinDays != null;
        }
    }

    public enum Effect { FILTER, BOOST, BURY, PIN }

    static final int MAX_RULES = 50;
    static final int MAX_PINNED = 20;
    static final double MAX_FACTOR = 10;
    static final int MAX_DAYS = 3650;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    Effect kind() {
        return Effect.valueOf(effect.toUpperCase(Locale.ROOT));
    }

    /** The effect as a reason shows it: "+0.2", "-0.2", "x2", "/2", "only", "pinned at 1". */
    String shown() {
        return switch (kind()) {
            case FILTER -> "only";
            case PIN -> "pinned at " + position;
            case BOOST -> by != null ? "+" + fmt(by) : "x" + fmt(factor);
            case BURY -> by != null ? "-" + fmt(by) : "/" + fmt(factor);
        };
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** What is wrong with these rules, each error naming its field ({@code prefix[i].field}); empty when fine. */
    static List<FieldError> problems(List<Rule> rules, String prefix) {
        List<FieldError> errors = new ArrayList<>();
        if (rules.size() > MAX_RULES) {
            errors.add(new FieldError(prefix, "at most " + MAX_RULES + " rules (got " + rules.size() + ")"));
            return errors;
        }
        Set<String> names = new HashSet<>();
        for (int r = 0; r < rules.size(); r++) {
            Rule rule = rules.get(r);
            String at = prefix + "[" + r + "]";
            if (rule == null) {
                errors.add(new FieldError(at, "must be a rule object"));
                continue;
            }
            if (rule.name() == null || !NAME.matcher(rule.name()).matches()) {
                errors.add(new FieldError(at + ".name", "is required: 1–64 letters, digits, '-', '_' or '.'"));
            } else if (!names.add(rule.name())) {
                errors.add(new FieldError(at + ".name", "'" + rule.name() + "' names two rules"));
            }
            Effect kind;
            try {
                kind = rule.effect() == null ? null : rule.kind();
            } catch (IllegalArgumentException e) {
                kind = null;
            }
            if (kind == null) {
                errors.add(new FieldError(at + ".effect", "must be 'filter', 'boost', 'bury' or 'pin'"));
                continue;
            }
            switch (kind) {
                case FILTER -> {
                    condition(rule.when(), at + ".when", true, errors);
                    if (rule.when() != null && rule.when().seenWithinDays() != null) {
                        errors.add(new FieldError(at + ".when.seen_within_days", "a filter keeps matching items; "
                                + "to drop what the user saw, use not_seen_within_days"));
                    }
                    if (rule.when() != null && rule.when().trending() != null) {
                        errors.add(new FieldError(at + ".when.trending", "trending moves items with boost or bury; "
                                + "for trending items only, use GET /v1/trending"));
                    }
                    unused(rule, at, errors, false, false);
                }
                case BOOST, BURY -> {
                    condition(rule.when(), at + ".when", true, errors);
                    if ((rule.by() == null) == (rule.factor() == null)) {
                        errors.add(new FieldError(at + ".by", "give 'by' (0 to 1, added to the 0–1 score) or "
                                + "'factor' (1 to " + fmt(MAX_FACTOR) + ", multiplying it), not both"));
                    } else if (rule.by() != null && !(rule.by() > 0 && rule.by() <= 1)) {
                        errors.add(new FieldError(at + ".by", "must be above 0 and at most 1"));
                    } else if (rule.factor() != null && !(rule.factor() > 1 && rule.factor() <= MAX_FACTOR)) {
                        errors.add(new FieldError(at + ".factor", "must be above 1 and at most " + fmt(MAX_FACTOR)));
                    }
                    unused(rule, at, errors, true, false);
                }
                case PIN -> {
                    if (rule.items() == null || rule.items().isEmpty() || rule.items().size() > MAX_PINNED) {
                        errors.add(new FieldError(at + ".items", "give 1 to " + MAX_PINNED + " item ids to pin"));
                    } else if (rule.items().stream().anyMatch(id -> id == null || id.isBlank()
                            || id.indexOf('\0') >= 0)) {
                        errors.add(new FieldError(at + ".items", "must be item ids"));
                    }
                    if (rule.position() == null || rule.position() < 1 || rule.position() > SimilarService.MAX_K) {
                        errors.add(new FieldError(at + ".position", "must be between 1 and "
                                + SimilarService.MAX_K));
                    }
                    if (rule.when() != null) {
                        errors.add(new FieldError(at + ".when", "a pin has no condition: pinned items show when "
                                + "they pass the request's filters"));
                    }
                    unused(rule, at, errors, false, true);
                }
            }
        }
        return errors;
    }

    private static void unused(Rule rule, String at, List<FieldError> errors, boolean amounts, boolean pin) {
        if (!amounts && (rule.by() != null || rule.factor() != null)) {
            errors.add(new FieldError(at + (rule.by() != null ? ".by" : ".factor"), "only boost and bury rules "
                    + "take an amount"));
        }
        if (!pin && (rule.items() != null || rule.position() != null)) {
            errors.add(new FieldError(at + (rule.items() != null ? ".items" : ".position"), "only pin rules take "
                    + "items and a position"));
        }
    }

    private static void condition(Condition c, String at, boolean required, List<FieldError> errors) {
        if (c == null) {
            if (required) {
                errors.add(new FieldError(at, "is required: the items the rule applies to"));
            }
            return;
        }
        Filters f = c.filters();
        if (!f.restrictsByContent() && !c.aboutHistory() && !Boolean.TRUE.equals(c.trending())) {
            errors.add(new FieldError(at, "is empty: give categories, attributes, ranges, seen_within_days, "
                    + "not_seen_within_days or trending"));
        }
        if (c.trending() != null && !c.trending()) {
            errors.add(new FieldError(at + ".trending", "can only be true (leave it out otherwise)"));
        }
        if (c.seenWithinDays() != null && c.notSeenWithinDays() != null) {
            errors.add(new FieldError(at, "give seen_within_days or not_seen_within_days, not both"));
        }
        for (Integer days : new Integer[]{c.seenWithinDays(), c.notSeenWithinDays()}) {
            if (days != null && (days < 1 || days > MAX_DAYS)) {
                errors.add(new FieldError(at + (days.equals(c.seenWithinDays()) ? ".seen_within_days"
                        : ".not_seen_within_days"), "must be between 1 and " + MAX_DAYS));
            }
        }
        try {
            FilterParser.check(f);
        } catch (io.embedrec.common.InvalidInputException e) {
            for (FieldError fe : e.errors()) {
                errors.add(new FieldError(at + "." + fe.field().replaceFirst("^filters\\.", ""), fe.message()));
            }
        }
    }
}
