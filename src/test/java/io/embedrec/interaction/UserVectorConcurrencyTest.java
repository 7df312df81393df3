package io.embedrec.interaction;

import io.embedrec.space.SpaceService;
import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.embedrec.support.UserVectors;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.embedrec.support.UserVectors.event;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class UserVectorConcurrencyTest {

    static final int THREADS = 8;
    static final int PER_THREAD = 200;
    static final int BATCH = 10;

    @Inject
    UserVectorService userVectors;

    @Inject
    SpaceService spaces;

    @BeforeEach
    void topicCatalog() {
        Catalogs.freshTopics();
    }

    @Test
    void concurrentBatchesForOneUserLoseNoUpdate() throws Exception {
        List<String> items = Catalogs.TOPICS.values().stream().flatMap(List::stream).map(it -> it[0]).toList();
        String[] types = {"view", "click", "like", "dislike", "purchase", "skip", "add_to_cart", "rating"};
        Instant base = Instant.parse("2026-06-01T00:00:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                List<String> answers = new ArrayList<>();
                for (int b = 0; b < PER_THREAD / BATCH; b++) {
                    List<Map<String, Object>> batch = new ArrayList<>();
                    for (int j = 0; j < BATCH; j++) {
                        int i = b * BATCH + j;
                        // increasing per thread, interleaved across threads: thread t owns seconds i*8+t
                        String type = types[(i + thread) % types.length];
                        batch.add(event("c" + thread + "-" + i, "hot", items.get((i * 5 + thread) % items.size()),
                                type, type.equals("rating") ? 1.0 + (i % 5) : null,
                                base.plusSeconds(i * (long) THREADS + thread).toString()));
                    }
                    var r = given().contentType(ContentType.JSON).body(batch).post("/v1/events").then().extract();
                    answers.add(r.statusCode() + " " + (r.statusCode() == 200 ? r.path("accepted") : r.asString()));
                }
                return answers;
            }));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        for (Future<List<String>> f : results) {
            assertThat(f.get()).containsOnly("200 " + BATCH);
        }
        assertThat(TestDb.count("SELECT count(*) FROM events")).isEqualTo(THREADS * PER_THREAD);
        double[] stored = UserVectors.storedSum("content", "hot");
        double[] rebuilt = userVectors.fromHistory(spaces.require("content"), UserVectors.userPk("hot")).sum;
        UserVectors.assertClose(stored, rebuilt, 1e-5);
        // rating 3 is neutral and not folded
        long neutral = TestDb.count("SELECT count(*) FROM events WHERE weight = 0");
        assertThat(TestDb.count("SELECT ref_count FROM user_vectors")).isEqualTo(THREADS * PER_THREAD - neutral);
    }
}
