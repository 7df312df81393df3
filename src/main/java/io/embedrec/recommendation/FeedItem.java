package io.embedrec.recommendation;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** A feed entry with the reason a person can read. */
public record FeedItem(String id, double score, String title, List<String> categories, Reason reason) {

    /**
     * Why an item is in the feed: {@code similar_to_history} (with the history items that contributed most when
     * asked to explain), {@code popular}, {@code popular_blend} (little history: both), {@code similar_to_example}
     * or {@code new}; {@code rules} lists the business rules that moved it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reason(String type, List<Because> because, List<RuleEffect> rules) {

        public Reason(String type, List<Because> because) {
            this(type, because, null);
        }
    }

    /**
     * A history item behind a recommendation ("because you liked X"), or the example it is closest to (a text
     * example has no id; its text is the title).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Because(String id, String title, double similarity, String eventType) {
    }
}
