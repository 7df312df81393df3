package io.embedrec.embedding;

import java.util.List;

/**
 * A text embedding model run in-process. Implementations are thread-safe and shared; one instance per configured
 * model, closed at shutdown.
 */
public interface EmbeddingModel extends AutoCloseable {

    /** What the model is: name, dimensions, max tokens, pooling, normalisation, prefixes, outputs. */
    ModelInfo info();

    /**
     * Embeds documents (catalog text), in input order. The model's document prefix, if any, is prepended.
     *
     * @return one vector of {@code info().dimensions()} floats per input
     */
    default float[][] embed(List<String> texts) {
        return embedDocuments(texts).vectors();
    }

    /** Embeds documents and reports token counts and truncations. */
    EmbeddingResult embedDocuments(List<String> texts);

    /** Embeds search queries: like {@link #embedDocuments} but with the model's query prefix. */
    EmbeddingResult embedQueries(List<String> texts);

    @Override
    void close();
}
