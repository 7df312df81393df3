package io.embedrec.recommendation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Filters as a SQL condition on the items table (alias {@code i}) with its parameters, bound in order, always
 * including availability ({@link #AVAILABLE}). Attribute
 * values from query strings arrive as text, so "42" also matches the number 42 and "true" the boolean.
 */
final class FilterSql {

    /** A parameter and how to bind it. */
    private sealed interface Param permits TextArray, Text, Number {
    }

    private record TextArray(String[] values) implements Param {
    }

    private record Text(String value) implements Param {
    }

    private record Number(double value) implements Param {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String condition;
    private final List<Param> params;

    private FilterSql(String condition, List<Param> params) {
        this.condition = condition;
        this.params = params;
    }

    /**
     * Only items on offer now, on every path: the catalog's availability flag and window (transaction time, so one
     * answer sees one instant).
     */
    static final String AVAILABLE = "i.available AND (i.available_from IS NULL OR i.available_from <= now()) "
            + "AND (i.available_until IS NULL OR i.available_until > now())";

    static FilterSql of(Filters f) {
        List<String> parts = new ArrayList<>();
        List<Param> params = new ArrayList<>();
        parts.add(AVAILABLE);
        append(f, parts, params);
        return new FilterSql(String.join(" AND ", parts), params);
    }

    /** Whether an item matches the filters, availability aside ({@code true} for none): a rule's condition. */
    static FilterSql matching(Filters f) {
        List<String> parts = new ArrayList<>();
        List<Param> params = new ArrayList<>();
        append(f, parts, params);
        return new FilterSql(parts.isEmpty() ? "true" : "(" + String.join(" AND ", parts) + ")", params);
    }

    private static void append(Filters f, List<String> parts, List<Param> params) {
        if (!f.categories().isEmpty()) {
            parts.add("i.categories && ?::text[]");
            params.add(new TextArray(f.categories().toArray(String[]::new)));
        }
        for (Map.Entry<String, Object> a : f.attributes().entrySet()) {
            List<Object> variants = variants(a.getValue());
            List<String> ors = new ArrayList<>();
            for (Object v : variants) {
                ors.add("i.attributes @> ?::jsonb");
                params.add(new Text(json(Map.of(a.getKey(), v))));
            }
            parts.add(ors.size() == 1 ? ors.get(0) : "(" + String.join(" OR ", ors) + ")");
        }
        for (Map.Entry<String, Filters.Range> r : f.ranges().entrySet()) {
            String value = "(CASE WHEN jsonb_typeof(i.attributes -> ?) = 'number' THEN (i.attributes ->> ?)::float8 END)";
            if (r.getValue().min() != null) {
                parts.add(value + " >= ?");
                params.add(new Text(r.getKey()));
                params.add(new Text(r.getKey()));
                params.add(new Number(r.getValue().min()));
            }
            if (r.getValue().max() != null) {
                parts.add(value + " <= ?");
                params.add(new Text(r.getKey()));
                params.add(new Text(r.getKey()));
                params.add(new Number(r.getValue().max()));
            }
        }
        if (!f.exclude().isEmpty()) {
            parts.add("NOT (i.external_id = ANY(?::text[]))");
            params.add(new TextArray(f.exclude().toArray(String[]::new)));
        }
        for (Filters also : f.all()) {
            append(also, parts, params);
        }
    }

    String condition() {
        return condition;
    }

    /** The condition with its parameters' values: equal keys select the same items. */
    String key() {
        StringBuilder sb = new StringBuilder(condition);
        for (Param p : params) {
            sb.append('\u0000');
            if (p instanceof TextArray t) {
                sb.append(java.util.Arrays.toString(t.values()));
            } else if (p instanceof Text t) {
                sb.append(t.value());
            } else if (p instanceof Number n) {
                sb.append(n.value());
            }
        }
        return sb.toString();
    }

    /** Binds the parameters from position {@code first}; returns the next free position. */
    int bind(PreparedStatement ps, int first) throws SQLException {
        int at = first;
        for (Param p : params) {
            if (p instanceof TextArray t) {
                ps.setArray(at++, ps.getConnection().createArrayOf("text", t.values()));
            } else if (p instanceof Text t) {
                ps.setString(at++, t.value());
            } else if (p instanceof Number n) {
                ps.setDouble(at++, n.value());
            }
        }
        return at;
    }

    private static List<Object> variants(Object v) {
        if (!(v instanceof String s)) {
            return List.of(v);
        }
        List<Object> out = new ArrayList<>(List.of(s));
        if (s.equals("true") || s.equals("false")) {
            out.add(Boolean.parseBoolean(s));
        } else {
            try {
                double d = Double.parseDouble(s);
                if (Double.isFinite(d)) {
                    out.add(d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d);
                }
            } catch (NumberFormatException ignored) {
                // text only
            }
        }
        return out;
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
