package io.embedrec.recommendation;

import io.embedrec.common.InvalidInputException;
import io.embedrec.common.ProblemException.FieldError;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Filters from query parameters: {@code category=} (repeatable: any of), {@code attr.<name>=<value>},
 * {@code attr.<name>.min=} / {@code attr.<name>.max=}, {@code exclude=} (repeatable or comma-separated), and checks
 * of JSON filters. Pure.
 */
public final class FilterParser {

    /** At most this many attribute conditions (equalities and ranges) in one request. */
    static final int MAX_CONDITIONS = 64;
    /** At most this many categories (any of) in one request. */
    static final int MAX_CATEGORIES = 256;
    /** At most this many excluded ids in one request. */
    static final int MAX_EXCLUDE = 10_000;

    private FilterParser() {
    }

    public static Filters fromQuery(Map<String, List<String>> query) {
        List<String> categories = new ArrayList<>();
        Map<String, Object> attributes = new LinkedHashMap<>();
        Map<String, Double[]> ranges = new LinkedHashMap<>();
        List<String> exclude = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            String key = e.getKey();
            List<String> values = e.getValue();
            if (key.equals("category")) {
                values.stream().filter(v -> !v.isBlank()).forEach(categories::add);
            } else if (key.equals("exclude")) {
                for (String v : values) {
                    for (String id : v.split(",")) {
                        if (!id.isBlank()) {
                            exclude.add(id.strip());
                        }
                    }
                }
            } else if (key.startsWith("attr.") && key.length() > 5) {
                String name = key.substring(5);
                String value = values.get(values.size() - 1);
                if (name.endsWith(".min") || name.endsWith(".max")) {
                    String attr = name.substring(0, name.length() - 4);
                    Double number = number(value);
                    if (number == null) {
                        errors.add(new FieldError(key, "'" + value + "' is not a number"));
                        continue;
                    }
                    Double[] range = ranges.computeIfAbsent(attr, x -> new Double[2]);
                    range[name.endsWith(".min") ? 0 : 1] = number;
                } else {
                    attributes.put(name, value);
                }
            }
        }
        Map<String, Filters.Range> r = new HashMap<>();
        ranges.forEach((k, v) -> r.put(k, new Filters.Range(v[0], v[1])));
        Filters f = new Filters(categories, attributes, r, exclude);
        errors.addAll(problems(f, "attr."));
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return f;
    }

    /** Checks JSON filters (ranges well-formed, attribute values scalar). */
    public static Filters check(Filters f) {
        if (f == null) {
            return Filters.NONE;
        }
        List<FieldError> errors = problems(f, "filters.ranges.");
        for (Map.Entry<String, Object> a : f.attributes().entrySet()) {
            Object v = a.getValue();
            if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                errors.add(new FieldError("filters.attributes." + a.getKey(),
                        "must be a string, a number or a boolean"));
            }
        }
        if (f.categories().stream().anyMatch(c -> c == null || c.isBlank())) {
            errors.add(new FieldError("filters.categories", "must not contain empty names"));
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return f;
    }

    private static List<FieldError> problems(Filters f, String prefix) {
        List<FieldError> errors = new ArrayList<>();
        boolean query = prefix.startsWith("attr");
        // bounded work per request: each condition is a bind parameter and a clause the planner weighs
        int conditions = f.attributes().size() + f.ranges().size();
        if (conditions > MAX_CONDITIONS) {
            errors.add(new FieldError(query ? "attr" : "filters", "at most " + MAX_CONDITIONS
                    + " attribute conditions (equalities and ranges) per request (got " + conditions + ")"));
        }
        if (f.categories().size() > MAX_CATEGORIES) {
            errors.add(new FieldError(query ? "category" : "filters.categories", "at most "
                    + MAX_CATEGORIES + " categories per request (got " + f.categories().size() + ")"));
        }
        if (f.exclude().size() > MAX_EXCLUDE) {
            errors.add(new FieldError("exclude", "at most " + MAX_EXCLUDE
                    + " excluded ids per request (got " + f.exclude().size() + ")"));
        }
        if (!errors.isEmpty()) {
            return errors;
        }
        for (Map.Entry<String, Object> a : f.attributes().entrySet()) {
            if (a.getKey().indexOf('\0') >= 0 || a.getValue() instanceof String v && v.indexOf('\0') >= 0) {
                errors.add(new FieldError(query ? "attr." + a.getKey()
                        : "filters.attributes." + a.getKey(), "must not contain NUL characters"));
            }
        }
        if (f.ranges().keySet().stream().anyMatch(k -> k.indexOf('\0') >= 0)) {
            errors.add(new FieldError(prefix + "*", "attribute names must not contain NUL characters"));
        }
        if (f.categories().stream().anyMatch(c -> c != null && c.indexOf('\0') >= 0)) {
            errors.add(new FieldError(query ? "category" : "filters.categories",
                    "must not contain NUL characters"));
        }
        if (f.exclude().stream().anyMatch(c -> c != null && c.indexOf('\0') >= 0)) {
            errors.add(new FieldError("exclude", "must not contain NUL characters"));
        }
        for (Map.Entry<String, Filters.Range> e : f.ranges().entrySet()) {
            Filters.Range r = e.getValue();
            if (r == null || r.min() == null && r.max() == null) {
                errors.add(new FieldError(prefix + e.getKey(), "a range needs min, max or both"));
            } else if (r.min() != null && r.max() != null && r.min() > r.max()) {
                errors.add(new FieldError(prefix + e.getKey(), "min (" + fmt(r.min()) + ") is greater than max ("
                        + fmt(r.max()) + ")"));
            } else if (r.min() != null && !Double.isFinite(r.min()) || r.max() != null && !Double.isFinite(r.max())) {
                errors.add(new FieldError(prefix + e.getKey(), "min and max must be finite numbers"));
            }
        }
        return errors;
    }

    private static InvalidInputException invalid(List<FieldError> errors) {
        FieldError first = errors.get(0);
        return new InvalidInputException(errors.size() == 1 ? "filter '" + first.field() + "': " + first.message()
                : errors.size() + " filters are invalid: see 'errors'", errors);
    }

    private static Double number(String s) {
        try {
            double d = Double.parseDouble(s.strip());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
