package io.embedrec.interaction;

import io.embedrec.space.Space;
import io.embedrec.space.SpaceService;
import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.embedrec.support.UserVectors;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.embedrec.support.UserVectors.assertClose;
import static io.embedrec.support.UserVectors.event;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class UserVectorConsistencyTest {

    @Inject
    UserVectorService userVectors;

    @Inject
    SpaceService spaces;

    @Inject
    EventRepository events;

    @BeforeEach
    void topicCatalog() {
        Catalogs.freshTopics();
    }

    /** A mixed history: 9 events of every kind, including a neutral rating, at the given times. */
    static List<Map<String, Object>> history(String prefix, String user, Instant start) {
        String[][] spec = {{"boot-1", "purchase", null}, {"esp-1", "view", null}, {"esp-2", "dislike", null},
                {"book-1", "like", null}, {"book-2", "rating", "2"}, {"book-3", "rating", "3"},
                {"boot-3", "click", null}, {"book-4", "skip", null}, {"boot-2", "rating", "4.5"}};
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < spec.length; i++) {
            out.add(event(prefix + i, user, spec[i][0], spec[i][1], spec[i][2] == null ? null
                    : Double.valueOf(spec[i][2]), start.plus(Duration.ofHours(7L * i)).toString()));
        }
        return out;
    }

    double[] rebuilt(String user) {
        Space content = spaces.require("content");
        return userVectors.fromHistory(content, UserVectors.userPk(user)).sum;
    }

    @Test
    void theIncrementalVectorEqualsARebuildFromHistory() {
        List<Map<String, Object>> h = history("m", "mixed", Instant.parse("2026-03-01T00:00:00Z"));
        UserVectors.post(h.subList(0, 3));
        UserVectors.post(h.subList(3, 4));
        UserVectors.post(h.subList(4, 9));
        double[] stored = UserVectors.storedSum("content", "mixed");
        assertClose(stored, rebuilt("mixed"), 1e-5);
        // the neutral rating (3) is stored but not folded: 8 events in the vector, 5 positive (purchase, view,
        // like, click, rating 4.5), 3 negative (dislike, rating 2, skip)
        assertThat(TestDb.text("SELECT ref_count || ' ' || positives || ' ' || negatives FROM user_vectors"))
                .isEqualTo("8 5 3");
    }

    @Test
    void outOfOrderEventsGiveTheSameVectorAsInOrder() {
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        List<Map<String, Object>> inOrder = history("i", "in-order", start);
        UserVectors.post(inOrder);
        List<Map<String, Object>> shuffled = history("o", "out-of-order", start);
        for (int i : new int[]{6, 2, 8, 0, 4, 3, 7, 1, 5}) {
            UserVectors.post(List.of(shuffled.get(i)));
        }
        double[] expected = UserVectors.storedSum("content", "in-order");
        assertClose(UserVectors.storedSum("content", "out-of-order"), expected, 1e-9);
        assertClose(rebuilt("out-of-order"), expected, 1e-9);
    }

    @Test
    void aHistoryTenYearsBackGivesTheSameFeedAsTheSameHistoryToday() {
        Instant recent = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(3));
        Instant decadeAgo = recent.minus(Duration.ofDays(3653));
        UserVectors.post(history("old", "then", decadeAgo));
        UserVectors.post(history("new", "now", recent));
        assertClose(UserVectors.storedSum("content", "then"), UserVectors.storedSum("content", "now"), 0);
        var then = given().queryParam("k", 3).get("/v1/users/then/recommendations").then().statusCode(200)
                .extract().jsonPath();
        var now = given().queryParam("k", 3).get("/v1/users/now/recommendations").then().statusCode(200)
                .extract().jsonPath();
        assertThat(then.getString("strategy")).isEqualTo("personal");
        assertThat(then.getList("items", Map.class)).isEqualTo(now.getList("items", Map.class)).hasSize(3);
    }

    @Test
    void timestampsFinerThanAMillisecondOrderTheSameWayIncrementallyAndInARebuild() {
        // same millisecond, arriving in the reverse of their microsecond order
        UserVectors.post(List.of(event("f1", "fine", "boot-1", "purchase", null, "2026-03-01T00:00:00.000300Z"),
                event("f2", "fine", "esp-1", "like", null, "2026-03-01T00:00:00.000100Z"),
                event("f3", "fine", "book-1", "view", null, "2026-03-01T00:00:01Z")));
        assertClose(UserVectors.storedSum("content", "fine"), rebuilt("fine"), 1e-9);
        assertThat(TestDb.text("SELECT string_agg(ts::text, ',' ORDER BY event_id) FROM events"))
                .isEqualTo("2026-03-01 00:00:00+00,2026-03-01 00:00:00+00,2026-03-01 00:00:01+00");
    }

    @Test
    void aBatchThatCommitsLateWithTheSameTimeAsTheNewestEventIsOrderedLikeARebuild() {
        Instant t = Instant.parse("2026-03-01T12:00:00Z");
        UserVectors.post(List.of(event("t0", "tie", "book-1", "like", null, "2026-03-01T00:00:00Z")));
        long user = UserVectors.userPk("tie");
        long boot = TestDb.count("SELECT pk FROM items WHERE external_id = 'boot-1'");
        // a concurrent batch takes the lower key at time t, but folds only after another batch at time t
        List<EventRepository.Stored> late = QuarkusTransaction.requiringNew().call(() -> events.insert(List.of(
                new EventRepository.NewEvent("t1", user, boot, "purchase", null, 8, Timestamp.from(t), null))));
        UserVectors.post(List.of(event("t2", "tie", "esp-1", "like", null, t.toString())));
        QuarkusTransaction.requiringNew().run(() -> userVectors.apply(new ArrayList<>(late)));
        assertClose(UserVectors.storedSum("content", "tie"), rebuilt("tie"), 1e-9);
    }
}
