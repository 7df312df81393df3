package io.embedrec.recommendation;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One recommended item: id, score (cosine similarity for vector answers), title and categories, and the business
 * rules that moved it (absent when none did).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Recommended(String id, double score, String title, List<String> categories, List<RuleEffect> rules) {

    public Recommended(String id, double score, String title, List<String> categories) {
        this(id, score, title, categories, null);
    }
}
