package io.embedrec.console;

import java.util.List;

/** What the catalog can be filtered by: categories with their item counts, and attribute names with their JSON type. */
public record Facets(List<Category> categories, List<Attribute> attributes) {

    public record Category(String name, long count) {
    }

    /** {@code type} is the JSON type most items give the attribute: {@code number}, {@code string} or {@code boolean}. */
    public record Attribute(String name, String type, long count) {
    }
}
