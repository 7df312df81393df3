package io.embedrec.embedding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Coalesces concurrent single-text requests (HTTP calls with one input, search queries) of one model into batches:
 * a worker thread takes the first waiting text, waits up to {@code wait} for more (at most {@code maxTexts}), and
 * runs them as one call. Texts that arrive while a batch runs form the next one, so under load batches grow by
 * themselves and the session is never run by many threads at once.
 */
final class MicroBatcher implements AutoCloseable {

    /** One embedded text of a coalesced batch. */
    record Single(float[] vector, int tokens, boolean cut) {
    }

    private record Pending(String text, boolean query, CompletableFuture<Single> result) {
    }

    private final EmbeddingModel model;
    private final long waitNanos;
    private final int maxTexts;
    private final IntConsumer batchSizes;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean closed;

    MicroBatcher(EmbeddingModel model, Duration wait, int maxTexts, IntConsumer batchSizes) {
        this.model = model;
        this.waitNanos = wait.toNanos();
        this.maxTexts = Math.max(1, maxTexts);
        this.batchSizes = batchSizes;
        this.worker = new Thread(this::loop, "embedrec-microbatch-" + model.info().name());
        this.worker.setDaemon(true);
        this.worker.start();
    }

    CompletableFuture<Single> submit(String text, boolean query) {
        CompletableFuture<Single> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IllegalStateException("model '" + model.info().name() + "' is closed"));
            return f;
        }
        queue.add(new Pending(text, query, f));
        return f;
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(maxTexts);
        while (!closed) {
            try {
                batch.add(queue.take());
                long deadline = System.nanoTime() + waitNanos;
                while (batch.size() < maxTexts) {
                    // first whatever is already waiting, then wait for late joiners until the deadline
                    Pending p = queue.poll();
                    if (p == null) {
                        long left = deadline - System.nanoTime();
                        p = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                        if (p == null) {
                            break;
                        }
                    }
                    batch.add(p);
                }
            } catch (InterruptedException e) {
                break;
            }
            try {
                run(batch, true);
                run(batch, false);
                batchSizes.accept(batch.size());
            } catch (RuntimeException | Error e) {
                // the thread must outlive any failure: every waiter hears of it, later texts still get embedded
                for (Pending p : batch) {
                    p.result().completeExceptionally(e);
                }
            }
            batch.clear();
        }
        for (Pending p : batch) {
            p.result().completeExceptionally(new IllegalStateException("model '" + model.info().name()
                    + "' is closed"));
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.result().completeExceptionally(new IllegalStateException("model '" + model.info().name()
                    + "' is closed"));
        }
    }

    private void run(List<Pending> batch, boolean queries) {
        List<Pending> part = new ArrayList<>(batch.size());
        List<String> texts = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            if (p.query() == queries) {
                part.add(p);
                texts.add(p.text());
            }
        }
        if (part.isEmpty()) {
            return;
        }
        try {
            EmbeddingResult r = queries ? model.embedQueries(texts) : model.embedDocuments(texts);
            for (int i = 0; i < part.size(); i++) {
                part.get(i).result().complete(new Single(r.vectors()[i], r.tokensPerText()[i], r.cut()[i]));
            }
        } catch (RuntimeException | Error e) {
            for (Pending p : part) {
                p.result().completeExceptionally(e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }
}
