package io.embedrec.embedding;

import io.embedrec.common.EmbedrecConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** The use cases behind {@code /v1/embeddings} and {@code /v1/models}. */
@ApplicationScoped
class EmbeddingService {

    /** What an embeddings call produced, before it is put on the wire. */
    record Embedded(ModelInfo model, EmbeddingResult result, boolean base64) {
    }

    private final EmbeddingModels models;
    private final EmbedrecConfig.Embedding limits;
    private final long startedAt = System.currentTimeMillis() / 1000;

    EmbeddingService(EmbeddingModels models, EmbedrecConfig config) {
        this.models = models;
        this.limits = config.embedding();
    }

    Embedded embed(EmbeddingsRequest req) {
        List<String> texts = req.texts(limits.maxInputs(), limits.maxTextChars());
        String format = req.encodingFormat() == null ? "float" : req.encodingFormat();
        if (!format.equals("float") && !format.equals("base64")) {
            throw EmbeddingsRequest.invalid("encoding_format", "must be 'float' or 'base64', not '" + format + "'");
        }
        String type = req.inputType() == null ? "document" : req.inputType();
        if (!type.equals("document") && !type.equals("query")) {
            throw EmbeddingsRequest.invalid("input_type", "must be 'document' or 'query', not '" + type + "'");
        }
        EmbeddingModel model = models.require(req.model());
        ModelInfo info = model.info();
        if (req.dimensions() != null && req.dimensions() != info.dimensions()) {
            throw EmbeddingsRequest.invalid("dimensions", "must be " + info.dimensions() + " (model '" + info.name()
                    + "' has " + info.dimensions() + " dimensions and cannot shorten them), not " + req.dimensions());
        }
        EmbeddingResult result = models.embed(info.name(), texts, type.equals("query"));
        return new Embedded(info, result, format.equals("base64"));
    }

    ModelList.Card card(String name) {
        ModelInfo i = models.info(name).orElseThrow(() -> new ModelNotFoundException(name));
        return new ModelList.Card(i.name(), "model", startedAt, "embedrec", i.dimensions(),
                i.pooling().name().toLowerCase(java.util.Locale.ROOT), i.maxTokens(), i.normalized(),
                name.equals(models.defaultName()), i.queryPrefix(), i.documentPrefix(), models.isLoaded(name),
                i.outputs());
    }

    ModelList list() {
        List<ModelList.Card> cards = new ArrayList<>();
        for (String n : models.names()) {
            cards.add(card(n));
        }
        return new ModelList("list", cards);
    }
}
