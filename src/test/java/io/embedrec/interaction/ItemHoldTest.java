package io.embedrec.interaction;

import io.embedrec.support.TestDb;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protocol that keeps user vectors right when an item's vector changes (or the item goes) while events about it
 * arrive: a vector write or a delete holds the item (FOR UPDATE) against event batches (FOR KEY SHARE), so one of
 * the two always sees the other's committed work.
 */
@QuarkusTest
class ItemHoldTest {

    @Inject
    EventRepository events;

    @Test
    void aVectorWriteWaitsForAnEventBatchInFlightAndKeepsNewOnesOutUntilItCommits() throws Exception {
        TestDb.exec("TRUNCATE items CASCADE", "INSERT INTO items (external_id, title) VALUES ('held', 'Held item')",
                "DELETE FROM embedding_queue");
        long pk = TestDb.count("SELECT pk FROM items WHERE external_id = 'held'");

        // an event batch in flight holds the item as EventRepository.itemKeys does
        try (Connection batch = TestDb.connect(); Statement s = batch.createStatement()) {
            batch.setAutoCommit(false);
            s.execute("SELECT pk FROM items WHERE pk = " + pk + " FOR KEY SHARE");
            CompletableFuture<Void> write = CompletableFuture.runAsync(() ->
                    QuarkusTransaction.requiringNew().run(() -> events.holdItems(new long[]{pk})));
            Thread.sleep(500);
            assertThat(write).as("the vector write waits for the batch").isNotDone();
            batch.commit();
            write.get(10, TimeUnit.SECONDS);
        }

        // the other way round: a batch arriving while the write holds the item waits until the write commits
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            events.holdItems(new long[]{pk});
            held.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> batch = CompletableFuture.runAsync(() -> {
            try (Connection c = TestDb.connect(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("SELECT pk FROM items WHERE pk = " + pk + " FOR KEY SHARE");
                c.commit();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(500);
        assertThat(batch).as("the batch waits for the vector write").isNotDone();
        release.countDown();
        write.get(10, TimeUnit.SECONDS);
        batch.get(10, TimeUnit.SECONDS);
        TestDb.exec("TRUNCATE items CASCADE");
    }
}
