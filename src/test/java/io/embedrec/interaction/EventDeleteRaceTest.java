package io.embedrec.interaction;

import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Items and users deleted (and put back) while batches of events about them arrive: no batch fails with a 500 (an
 * item deleted between a batch's lookup and its insert used to roll the whole batch back), and every event a batch
 * reported accepted is stored unless its item or user was deleted after it.
 */
@QuarkusTest
class EventDeleteRaceTest {

    static final int ITEMS = 12;

    @Test
    void deletesRacingEventBatchesCostNoBatch() throws Exception {
        TestDb.exec("TRUNCATE items, users, events CASCADE");
        for (int i = 0; i < ITEMS; i++) {
            put(i);
        }
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong accepted = new AtomicLong();
        AtomicLong deletes = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            int client = c;
            threads.add(new Thread(() -> {
                Random random = new Random(client);
                for (int batch = 0; running.get(); batch++) {
                    List<Map<String, Object>> events = new ArrayList<>();
                    for (int e = 0; e < 40; e++) {
                        events.add(Map.of("id", "r" + client + "-" + batch + "-" + e, "user",
                                "u" + random.nextInt(6), "item", "it" + random.nextInt(ITEMS), "type", "view"));
                    }
                    var r = given().contentType(ContentType.JSON).body(events).post("/v1/events");
                    if (r.statusCode() != 200) {
                        failures.add(r.statusCode() + " " + r.body().asString());
                    } else {
                        accepted.addAndGet(r.jsonPath().getLong("accepted"));
                    }
                }
            }));
        }
        threads.add(new Thread(() -> {
            Random random = new Random(7);
            while (running.get()) {
                int i = random.nextInt(ITEMS);
                int status = given().delete("/v1/items/it" + i).statusCode();
                if (status >= 500) {
                    failures.add("delete item " + status);
                }
                int user = given().delete("/v1/users/u" + random.nextInt(6)).statusCode();
                if (user >= 500) {
                    failures.add("delete user " + user);
                }
                deletes.incrementAndGet();
                try {
                    put(i);
                } catch (Throwable e) {
                    failures.add("put item: " + e);
                }
            }
        }));
        threads.forEach(Thread::start);
        Thread.sleep(6000);
        running.set(false);
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertThat(failures).as("answers other than 200").isEmpty();
        assertThat(accepted.get()).isPositive();
        assertThat(deletes.get()).as("deletes that raced the batches").isGreaterThan(10);
        // every stored event's item and user exist (the foreign keys hold; cascades removed the rest)
        assertThat(TestDb.count("SELECT count(*) FROM events e LEFT JOIN items i ON i.pk = e.item_pk "
                + "WHERE i.pk IS NULL")).isZero();
    }

    private static void put(int i) {
        int status = given().contentType(ContentType.JSON).body(Map.of("title", "Race item " + i))
                .put("/v1/items/it" + i).statusCode();
        assertThat(status).isIn(200, 201);
    }
}
