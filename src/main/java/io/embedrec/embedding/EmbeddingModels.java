package io.embedrec.embedding;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** PLACEHOLDER until the engine branch lands (replaced at merge; never shipped). */
@ApplicationScoped
public class EmbeddingModels {

    public EmbeddingModel defaultModel() {
        throw new UnsupportedOperationException("engine not merged yet");
    }

    public Optional<EmbeddingModel> get(String name) {
        return Optional.empty();
    }

    public List<String> names() {
        return List.of();
    }

    public float[] embedQuery(String model, String text) {
        throw new UnsupportedOperationException("engine not merged yet");
    }
}
