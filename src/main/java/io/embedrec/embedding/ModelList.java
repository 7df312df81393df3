package io.embedrec.embedding;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** {@code GET /v1/models}: OpenAI's model list, each entry with our facts added. */
public record ModelList(String object, List<Card> data) {

    /**
     * One model: OpenAI's {@code id}, {@code object}, {@code created}, {@code owned_by}, then what it computes.
     *
     * @param loaded  whether its session is loaded (non-default models load on first use)
     * @param outputs the ONNX graph's outputs, known once loaded
     */
    public record Card(String id, String object, long created, String ownedBy, int dimensions, String pooling,
                       int maxTokens, boolean normalized, @JsonProperty("default") boolean isDefault,
                       String queryPrefix, String documentPrefix, boolean loaded, List<String> outputs) {
    }
}
