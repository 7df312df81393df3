package io.embedrec.recommendation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * Which items a recommendation may return. Different filters combine with AND; within {@code categories}, any
 * matches. JSON: {@code {categories: [..], attributes: {name: value}, ranges: {name: {min, max}}, exclude: [ids]}}.
 */
public record Filters(List<String> categories, Map<String, Object> attributes, Map<String, Range> ranges,
                      List<String> exclude, @JsonIgnore List<Filters> all) {

    public static final Filters NONE = new Filters(List.of(), Map.of(), Map.of(), List.of());

    public Filters {
        categories = categories == null ? List.of() : List.copyOf(categories);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        ranges = ranges == null ? Map.of() : Map.copyOf(ranges);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        all = all == null ? List.of() : List.copyOf(all);
    }

    /** The filters a client sends (JSON knows only these four fields). */
    @JsonCreator
    public Filters(@JsonProperty("categories") List<String> categories,
                   @JsonProperty("attributes") Map<String, Object> attributes,
                   @JsonProperty("ranges") Map<String, Range> ranges, @JsonProperty("exclude") List<String> exclude) {
        this(categories, attributes, ranges, exclude, List.of());
    }

    /**
     * These filters and {@code also} (each a separate condition, ANDed: the business rules' hard filters), not part
     * of the JSON a client sends.
     */
    public Filters and(Filters also) {
        List<Filters> more = new java.util.ArrayList<>(all);
        more.add(also);
        return new Filters(categories, attributes, ranges, exclude, more);
    }

    /** A numeric range on an attribute; either end may be open. */
    public record Range(Double min, Double max) {
    }

    /** True when only exclusions (or nothing) restrict the items. */
    public boolean restrictsByContent() {
        return !categories.isEmpty() || !attributes.isEmpty() || !ranges.isEmpty()
                || all.stream().anyMatch(Filters::restrictsByContent);
    }

    /** The same filters without exclusions: what decides how many items match, near enough. */
    Filters withoutExclude() {
        return exclude.isEmpty() ? this : new Filters(categories, attributes, ranges, List.of(), all);
    }

    public Filters withExclude(List<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new java.util.ArrayList<>(exclude);
        all.addAll(more);
        return new Filters(categories, attributes, ranges, all, this.all);
    }
}
