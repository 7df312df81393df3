package io.embedrec.embedding;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Per-model meters on /q/metrics: texts and tokens embedded (rate() gives texts/s and tokens/s), truncated inputs,
 * texts and padded tokens per ONNX batch, and texts per micro-batch.
 */
final class EmbeddingMetrics implements OnnxEmbeddingModel.Listener {

    private final Counter texts;
    private final Counter tokens;
    private final Counter truncated;
    private final DistributionSummary batchTexts;
    private final DistributionSummary batchTokens;
    private final DistributionSummary microBatchTexts;

    EmbeddingMetrics(MeterRegistry registry, String model) {
        texts = Counter.builder("embedrec.embedding.texts").tag("model", model)
                .description("Texts embedded").register(registry);
        tokens = Counter.builder("embedrec.embedding.tokens").tag("model", model)
                .description("Tokens fed to the model, special tokens included, after truncation").register(registry);
        truncated = Counter.builder("embedrec.embedding.truncated").tag("model", model)
                .description("Texts longer than the model's max tokens, cut to it").register(registry);
        batchTexts = DistributionSummary.builder("embedrec.embedding.batch.texts").tag("model", model)
                .description("Texts per ONNX batch").register(registry);
        batchTokens = DistributionSummary.builder("embedrec.embedding.batch.tokens").tag("model", model)
                .description("Padded tokens (texts x longest) per ONNX batch").register(registry);
        microBatchTexts = DistributionSummary.builder("embedrec.embedding.microbatch.texts").tag("model", model)
                .description("Single-text requests coalesced per micro-batch").register(registry);
    }

    @Override
    public void batch(int texts, int paddedTokens) {
        batchTexts.record(texts);
        batchTokens.record(paddedTokens);
    }

    @Override
    public void embedded(int count, long tokenCount, int truncatedCount) {
        texts.increment(count);
        tokens.increment(tokenCount);
        truncated.increment(truncatedCount);
    }

    void microBatch(int size) {
        microBatchTexts.record(size);
    }
}
