package io.embedrec.recommendation;

import java.util.List;
import java.util.Map;

/**
 * Which items a recommendation may return. Different filters combine with AND; within {@code categories}, any
 * matches. JSON: {@code {categories: [..], attributes: {name: value}, ranges: {name: {min, max}}, exclude: [ids]}}.
 */
public record Filters(List<String> categories, Map<String, Object> attributes, Map<String, Range> ranges,
                      List<String> exclude) {

    public static final Filters NONE = new Filters(List.of(), Map.of(), Map.of(), List.of());

    public Filters {
        categories = categories == null ? List.of() : List.copyOf(categories);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        ranges = ranges == null ? Map.of() : Map.copyOf(ranges);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }

    /** A numeric range on an attribute; either end may be open. */
    public record Range(Double min, Double max) {
    }

    /** True when only exclusions (or nothing) restrict the items. */
    public boolean restrictsByContent() {
        return !categories.isEmpty() || !attributes.isEmpty() || !ranges.isEmpty();
    }

    public Filters withExclude(List<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new java.util.ArrayList<>(exclude);
        all.addAll(more);
        return new Filters(categories, attributes, ranges, all);
    }
}
