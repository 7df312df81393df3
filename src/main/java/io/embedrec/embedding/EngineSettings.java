package io.embedrec.embedding;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.embedrec.common.EmbedrecConfig;

import java.util.Locale;

/** How every model session runs: threads, batch budget, graph optimisation. */
record EngineSettings(int threads, int batchTokens, OptLevel optimization) {

    static EngineSettings of(EmbedrecConfig.Embedding e) {
        int threads = e.threads() > 0 ? e.threads() : Runtime.getRuntime().availableProcessors();
        if (e.batchTokens() < 1) {
            throw new ModelLoadException("embedrec.embedding.batch-tokens must be positive, is " + e.batchTokens());
        }
        OptLevel level = switch (e.optimization().trim().toLowerCase(Locale.ROOT)) {
            case "none" -> OptLevel.NO_OPT;
            case "basic" -> OptLevel.BASIC_OPT;
            case "extended" -> OptLevel.EXTENDED_OPT;
            case "all" -> OptLevel.ALL_OPT;
            default -> throw new ModelLoadException("embedrec.embedding.optimization is '" + e.optimization()
                    + "'; use none, basic, extended or all");
        };
        return new EngineSettings(threads, e.batchTokens(), level);
    }
}
