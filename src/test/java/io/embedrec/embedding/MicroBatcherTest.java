package io.embedrec.embedding;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The micro-batcher's thread outlives any failure of the model, an Error included. */
class MicroBatcherTest {

    /** Fails its first call with an Error (as a native failure would), then embeds every text as [length]. */
    static final class FailingOnce implements EmbeddingModel {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public ModelInfo info() {
            return new ModelInfo("failing-once", 1, 16, Pooling.MEAN, true, "", "", List.of());
        }

        @Override
        public EmbeddingResult embedDocuments(List<String> texts) {
            if (calls.getAndIncrement() == 0) {
                throw new OutOfMemoryError("simulated");
            }
            float[][] v = new float[texts.size()][];
            for (int i = 0; i < v.length; i++) {
                v[i] = new float[]{texts.get(i).length()};
            }
            return new EmbeddingResult(v, texts.size(), 0, new int[texts.size()], new boolean[texts.size()]);
        }

        @Override
        public EmbeddingResult embedQueries(List<String> texts) {
            return embedDocuments(texts);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void anErrorFailsItsBatchAndTheNextTextsAreStillEmbedded() throws Exception {
        try (MicroBatcher batcher = new MicroBatcher(new FailingOnce(), Duration.ZERO, 8, n -> { })) {
            assertThatThrownBy(() -> batcher.submit("first", false).get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(OutOfMemoryError.class);
            assertThat(batcher.submit("three", false).get(5, TimeUnit.SECONDS).vector()).containsExactly(5f);
        }
    }
}
