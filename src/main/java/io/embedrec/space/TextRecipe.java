package io.embedrec.space;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Which item fields make the text a content space embeds, in which order: {@code title}, {@code categories},
 * {@code description} and {@code attributes.<name>}. Parts are joined with ". " after trimming; empty parts are
 * left out. Pure: the same item and recipe always give the same text and hash.
 */
public record TextRecipe(List<String> fields) {

    public static final TextRecipe DEFAULT = new TextRecipe(List.of("title", "categories", "description"));
    static final String ATTRIBUTE_PREFIX = "attributes.";

    public TextRecipe {
        fields = List.copyOf(fields);
    }

    /** Why this recipe is not usable, or {@code null}. */
    public String problem() {
        if (fields.isEmpty()) {
            return "must name at least one field";
        }
        if (fields.size() > 32) {
            return "must name at most 32 fields";
        }
        for (String f : fields) {
            if (f == null || !(f.equals("title") || f.equals("categories") || f.equals("description")
                    || f.startsWith(ATTRIBUTE_PREFIX) && f.length() > ATTRIBUTE_PREFIX.length())) {
                return "field '" + f + "' is not one of title, categories, description, attributes.<name>";
            }
        }
        if (fields.stream().distinct().count() != fields.size()) {
            return "names a field twice";
        }
        return null;
    }

    /** The text to embed for an item. */
    public String render(String title, String description, List<String> categories, Map<String, Object> attributes) {
        List<String> parts = new ArrayList<>(fields.size());
        for (String f : fields) {
            String part = switch (f) {
                case "title" -> title;
                case "description" -> description;
                case "categories" -> categories == null ? "" : String.join(", ", categories);
                default -> {
                    String name = f.substring(ATTRIBUTE_PREFIX.length());
                    Object v = attributes == null ? null : attributes.get(name);
                    yield v == null ? "" : name.replace('_', ' ') + ": " + v;
                }
            };
            if (part != null && !part.isBlank()) {
                parts.add(part.strip());
            }
        }
        return String.join(". ", parts);
    }

    /** A 16-byte digest of the text: equal texts, equal hashes; what decides whether an item needs re-embedding. */
    public static byte[] hash(String text) {
        try {
            byte[] full = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(full, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
