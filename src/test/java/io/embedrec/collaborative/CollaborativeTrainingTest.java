package io.embedrec.collaborative;

import io.embedrec.interaction.UserVectorService;
import io.embedrec.space.SpaceService;
import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.embedrec.support.UserVectors;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.embedrec.support.UserVectors.event;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

@QuarkusTest
class CollaborativeTrainingTest {

    static final String PROBLEM = "application/problem+json";

    /**
     * Three co-consumption groups that cut across the content topics (boots, espresso machines, children's books),
     * so a collaborative answer cannot be a content answer by accident.
     */
    static final List<List<String>> GROUPS = List.of(
            List.of("boot-1", "esp-1", "book-1", "boot-2"),
            List.of("esp-2", "book-2", "boot-3", "esp-3"),
            List.of("book-3", "boot-4", "esp-4", "book-4"));

    @Inject
    UserVectorService userVectors;

    @Inject
    SpaceService spaces;

    @BeforeEach
    void topicCatalogWithGroupedHistories() {
        Catalogs.freshTopics();
    }

    @AfterEach
    void onlyContentLeft() {
        Catalogs.onlyTheDefaultSpace();
    }

    /** 8 users per group; user j views 3 of the group's 4 items (all but item j mod 4): 72 events. */
    static void postGroupedHistories() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int g = 0; g < GROUPS.size(); g++) {
            for (int j = 0; j < 8; j++) {
                for (int m = 0; m < 4; m++) {
                    if (m != j % 4) {
                        events.add(event("g" + g + "u" + j + "i" + m, "g" + g + "-user" + j, GROUPS.get(g).get(m),
                                "view", null, "2026-01-01T00:0" + m + ":00Z"));
                    }
                }
            }
        }
        UserVectors.post(events);
    }

    static String train(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/jobs/train").then().statusCode(202)
                .header("Location", matchesPattern(".*/v1/jobs/[0-9a-f-]{36}"))
                .body("type", equalTo("train")).extract().path("id");
    }

    /** As many factors as planted groups: more would let 24 users' individual choices show through. */
    static Map<String, Object> settings(String name, int iterations) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("factors", 3);
        body.put("iterations", iterations);
        return body;
    }

    static List<String> similar(String item, String space) {
        return given().queryParam("k", 3).queryParam("space", space).get("/v1/items/" + item + "/similar").then()
                .statusCode(200).body("space", equalTo(space)).extract().jsonPath().getList("items.id", String.class);
    }

    @Test
    void trainingActivatesACollaborativeSpaceWhoseNeighboursAreCoConsumedItems() {
        postGroupedHistories();
        Map<String, Object> job = Catalogs.awaitJob(train(settings("collab-a", 10)));
        assertThat(job).containsEntry("state", "done").containsEntry("total", 2 + 20 + 24)
                .containsEntry("done", 2 + 20 + 24);
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) job.get("result");
        assertThat(result).containsEntry("space", "collab-a").containsEntry("algorithm", "als")
                .containsEntry("factors", 3).containsEntry("users", 24).containsEntry("items", 12)
                .containsEntry("interactions", 72).containsEntry("events", 72).containsEntry("user_vectors", 24);

        given().get("/v1/spaces/collab-a").then().statusCode(200).body("kind", equalTo("collaborative"))
                .body("model", equalTo("als")).body("dimensions", equalTo(3)).body("status", equalTo("ready"))
                .body("active", equalTo(true)).body("recipe", equalTo(List.of()))
                .body("vectors", equalTo(Map.of("ready", 12, "pending", 0, "failed", 0)))
                .body("training.factors", equalTo(3)).body("training.regularization", equalTo(0.1f))
                .body("training.item_model", equalTo("ease"))
                .body("training.alpha", equalTo(2.0f)).body("training.iterations", equalTo(10))
                .body("training.seed", equalTo(42)).body("training.interactions", equalTo(72));
        assertThat(TestDb.count("SELECT count(*) FROM item_vectors_" + spaces.require("collab-a").id()
                + " WHERE abs(vector_norm(embedding) - 1) > 1e-6")).isZero();

        for (List<String> group : GROUPS) {
            for (String item : group) {
                assertThat(similar(item, "collab-a")).as("neighbours of %s", item)
                        .containsExactlyInAnyOrderElementsOf(group.stream().filter(i -> !i.equals(item)).toList());
            }
        }
        // the content space still answers by text: boots next to boots
        assertThat(given().queryParam("k", 3).get("/v1/items/boot-1/similar").then().statusCode(200)
                .body("space", equalTo("content")).extract().jsonPath().getList("items.id", String.class))
                .containsExactlyInAnyOrder("boot-2", "boot-3", "boot-4");
        given().queryParam("kind", "collaborative").get("/v1/items/boot-1/similar").then().statusCode(200)
                .body("space", equalTo("collab-a"));
    }

    @Test
    void userVectorsAreBuiltInTheNewSpaceAndFollowNewEvents() {
        postGroupedHistories();
        assertThat(Catalogs.awaitJob(train(settings("collab-a", 10)))).containsEntry("state", "done");
        var space = spaces.require("collab-a");
        long users = TestDb.count("SELECT count(*) FROM user_vectors WHERE space_id = " + space.id()
                + " AND embedding IS NOT NULL AND ref_count = 3");
        assertThat(users).isEqualTo(24);
        // the job rebuilt users in batches; each must equal its own history, one user at a time
        for (int g = 0; g < GROUPS.size(); g++) {
            for (int j = 0; j < 8; j++) {
                String user = "g" + g + "-user" + j;
                UserVectors.assertClose(UserVectors.storedSum("collab-a", user),
                        userVectors.fromHistory(space, UserVectors.userPk(user)).sum, 1e-12);
            }
        }
        double[] before = UserVectors.storedSum("collab-a", "g0-user0");

        UserVectors.post(List.of(event("late", "g0-user0", "esp-4", "like", null, "2026-01-02T00:00:00Z")));
        double[] after = UserVectors.storedSum("collab-a", "g0-user0");
        assertThat(after).isNotEqualTo(before);
        UserVectors.assertClose(after, userVectors.fromHistory(space, UserVectors.userPk("g0-user0")).sum, 1e-12);
        assertThat(TestDb.text("SELECT ref_count FROM user_vectors v JOIN users u ON u.pk = v.user_pk "
                + "WHERE v.space_id = " + space.id() + " AND u.external_id = 'g0-user0'")).isEqualTo("4");

        // the rebuild-users job now takes collaborative spaces too
        String rebuild = given().contentType(ContentType.JSON).body(Map.of("space", "collab-a"))
                .post("/v1/jobs/rebuild-users").then().statusCode(202).extract().path("id");
        assertThat(Catalogs.awaitJob(rebuild)).containsEntry("state", "done").containsEntry("total", 24)
                .containsEntry("done", 24);
        UserVectors.assertClose(UserVectors.storedSum("collab-a", "g0-user0"), after, 1e-12);
    }

    @Test
    void retrainingWhileServingSwapsAtomicallyAndCanBeRolledBack() {
        postGroupedHistories();
        assertThat(Catalogs.awaitJob(train(settings("collab-a", 10)))).containsEntry("state", "done");

        // 1,000 sweeps keep the second job running for seconds while similar is asked again and again
        String second = train(settings("collab-b", 1000));
        List<String> answeredDuringTheJob = new ArrayList<>();
        while (true) {
            String stateBefore = given().get("/v1/jobs/" + second).then().extract().path("state");
            String space = given().queryParam("kind", "collaborative").queryParam("k", 3)
                    .get("/v1/items/esp-2/similar").then().statusCode(200).extract().path("space");
            String stateAfter = given().get("/v1/jobs/" + second).then().extract().path("state");
            if (!stateAfter.equals("queued") && !stateAfter.equals("running")) {
                break;
            }
            if (stateBefore.equals("running")) {
                answeredDuringTheJob.add(space);
            }
        }
        assertThat(Catalogs.awaitJob(second)).containsEntry("state", "done");
        assertThat(answeredDuringTheJob).isNotEmpty().containsOnly("collab-a");

        given().queryParam("kind", "collaborative").get("/v1/items/esp-2/similar").then().statusCode(200)
                .body("space", equalTo("collab-b"));
        assertThat(similar("esp-2", "collab-b")).containsExactlyInAnyOrder("book-2", "boot-3", "esp-3");
        given().get("/v1/spaces/collab-a").then().body("active", equalTo(false)).body("status", equalTo("ready"));

        // rollback
        given().post("/v1/spaces/collab-a/activate").then().statusCode(200).body("active", equalTo(true));
        given().queryParam("kind", "collaborative").get("/v1/items/esp-2/similar").then().statusCode(200)
                .body("space", equalTo("collab-a"));
        given().get("/v1/spaces/collab-b").then().body("active", equalTo(false));
        given().get("/v1/spaces/content").then().body("active", equalTo(true));
    }

    @Test
    void aCancelledTrainingStopsAndLeavesNoSpace() {
        given().queryParam("kind", "collaborative").get("/v1/items/boot-1/similar").then().statusCode(404)
                .contentType(PROBLEM).body("detail", equalTo("no active collaborative space; train one with "
                        + "POST /v1/jobs/train"));
        postGroupedHistories();
        String id = train(settings("collab-c", 1000));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!"running".equals(given().get("/v1/jobs/" + id).then().extract().path("state"))
                && System.nanoTime() < deadline) {
            Catalogs.sleep(20);
        }
        given().post("/v1/jobs/" + id + "/cancel").then().statusCode(200).body("state", equalTo("cancelled"));
        // jobs of this kind run one after another on the jobs thread: once the next one is done, the cancelled
        // one has returned
        assertThat(Catalogs.awaitJob(train(settings("collab-d", 5)))).containsEntry("state", "done");
        given().get("/v1/jobs/" + id).then().body("state", equalTo("cancelled")).body("result", equalTo(null));
        given().get("/v1/spaces/collab-c").then().statusCode(404);
        given().get("/v1/spaces/collab-d").then().statusCode(200).body("active", equalTo(true));
    }

    @Test
    void trainingWithoutInteractionsFailsWithAClearReason() {
        String id = train(Map.of());
        Map<String, Object> job = Catalogs.awaitJob(id);
        assertThat(job).containsEntry("state", "failed")
                .containsEntry("error", "no interactions to train on: send events first (POST /v1/events)");
        assertThat(TestDb.count("SELECT count(*) FROM spaces WHERE kind = 'collaborative'")).isZero();

        UserVectors.post(List.of(event("d1", "dora", "esp-1", "dislike", null, null)));
        assertThat(Catalogs.awaitJob(train(Map.of()))).containsEntry("state", "failed")
                .containsEntry("error", "no positive interactions to train on: every user's net weight on every "
                        + "item is 0 or less; send positive events (views, likes, purchases) first");
    }

    @Test
    void badTrainingRequestsAre400Or409() {
        given().contentType(ContentType.JSON).body(Map.of("factors", 0)).post("/v1/jobs/train").then()
                .statusCode(400).contentType(PROBLEM).body("detail", equalTo("'factors' must be between 1 and 1000 (got 0)"))
                .body("errors[0].field", equalTo("factors"));
        given().contentType(ContentType.JSON).body(Map.of("regularization", -0.5, "iterations", 0))
                .post("/v1/jobs/train").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("2 fields are invalid: see 'errors'"))
                .body("errors.field", equalTo(List.of("regularization", "iterations")))
                .body("errors[0].message", equalTo("must be a positive number (got -0.5)"));
        given().contentType(ContentType.JSON).body(Map.of("ease_regularization", 0)).post("/v1/jobs/train").then()
                .statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("'ease_regularization' must be a positive number (got 0.0)"))
                .body("errors[0].field", equalTo("ease_regularization"));
        given().contentType(ContentType.JSON).body(Map.of("epochs", 3)).post("/v1/jobs/train").then()
                .statusCode(400).contentType(PROBLEM).body("type", matchesPattern(".*malformed-body"));
        given().contentType(ContentType.JSON).body(Map.of("name", "Bad Name")).post("/v1/jobs/train").then()
                .statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("name"));
        given().contentType(ContentType.JSON).body(Map.of("name", "content")).post("/v1/jobs/train").then()
                .statusCode(409).contentType(PROBLEM).body("detail", equalTo("a space named 'content' exists already"));
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "kind", "collaborative")).post("/v1/spaces")
                .then().statusCode(400).contentType(PROBLEM).body("detail", equalTo(
                        "'kind': collaborative spaces are trained, not created directly: POST /v1/jobs/train"));
        given().queryParam("kind", "graph").get("/v1/items/boot-1/similar").then().statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", equalTo("kind"));
        assertThat(TestDb.count("SELECT count(*) FROM jobs WHERE type = 'train' AND state = 'queued'")).isZero();
    }

    @Test
    void contentOnlyOperationsRejectACollaborativeSpace() {
        postGroupedHistories();
        assertThat(Catalogs.awaitJob(train(settings("collab-a", 5)))).containsEntry("state", "done");
        given().contentType(ContentType.JSON).body(Map.of("space", "collab-a", "scope", "all"))
                .post("/v1/jobs/reembed").then().statusCode(400).contentType(PROBLEM)
                .body("type", matchesPattern(".*not-a-content-space"))
                .body("detail", equalTo("space 'collab-a' is collaborative: its vectors are learned from events, "
                        + "not embedded from text, so it cannot be re-embedded; retrain it with POST /v1/jobs/train"));
        given().contentType(ContentType.JSON).body(Map.of("query", "espresso", "space", "collab-a"))
                .post("/v1/search").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("space 'collab-a' is collaborative: its vectors are learned from events, "
                        + "not embedded from text, so search, which embeds the query, needs a content space"));
        given().contentType(ContentType.JSON).body(Map.of("query", "espresso", "space", "collab-a", "mode", "keyword"))
                .post("/v1/search").then().statusCode(200);
        // an item deleted after training: the space forgets it, similar still answers
        given().delete("/v1/items/boot-2").then().statusCode(204);
        List<String> after = similar("boot-1", "collab-a");
        assertThat(after.subList(0, 2)).containsExactlyInAnyOrder("esp-1", "book-1");
        assertThat(after).doesNotContain("boot-2");
    }
}
