package io.embedrec.embedding;

import java.util.List;

/**
 * Facts about a model.
 *
 * @param name          the name clients use ({@code model} in requests)
 * @param dimensions    length of every vector it returns
 * @param maxTokens     inputs are truncated to this many tokens (special tokens included)
 * @param pooling       how token vectors become one vector
 * @param normalized    whether vectors are L2-normalised
 * @param queryPrefix   prepended to search queries (e5/bge style), empty when none
 * @param documentPrefix prepended to documents, empty when none
 * @param outputs       the ONNX graph's output names
 */
public record ModelInfo(String name, int dimensions, int maxTokens, Pooling pooling, boolean normalized,
                        String queryPrefix, String documentPrefix, List<String> outputs) {
}
