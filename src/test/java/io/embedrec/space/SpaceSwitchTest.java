package io.embedrec.space;

import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

@QuarkusTest
class SpaceSwitchTest {

    static final String PROBLEM = "application/problem+json";

    @BeforeEach
    void topicCatalog() {
        TestDb.exec("TRUNCATE items CASCADE");
        Catalogs.putTopics();
        Catalogs.awaitVectors("content", 12);
    }

    @AfterEach
    void backToContent() {
        given().post("/v1/spaces/content/activate").then().statusCode(200);
        given().delete("/v1/spaces/bge");
        given().delete("/v1/spaces/race");
    }

    @Test
    void concurrentActivationsOfOneKindLeaveExactlyOneActive() throws Exception {
        given().contentType(ContentType.JSON).body(Map.of("name", "race")).post("/v1/spaces").then().statusCode(201);
        String job = given().get("/v1/jobs").then().extract().path("items[0].id");
        assertThat(Catalogs.awaitJob(job)).containsEntry("state", "done");
        java.util.concurrent.ConcurrentLinkedQueue<Integer> statuses = new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<Thread> threads = new java.util.ArrayList<>();
        for (String name : List.of("content", "race")) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 15; i++) {
                    statuses.add(given().post("/v1/spaces/" + name + "/activate").statusCode());
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertThat(statuses).hasSize(30).containsOnly(200);
        assertThat(TestDb.count("SELECT count(*) FROM spaces WHERE kind = 'content' AND active")).isEqualTo(1);
    }

    @Test
    void buildAnotherModelsSpaceCompareSwitchAndRollBack() {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "bge", "model", "bge-small-en-v15-q", "recipe", List.of("title", "description"),
                        "storage", "halfvec", "index", Map.of("m", 24, "ef_construction", 100)))
                .post("/v1/spaces").then().statusCode(201)
                .body("index", equalTo(Map.of("m", 24, "ef_construction", 100)))
                .header("Location", matchesPattern(".*/v1/spaces/bge"))
                .body("status", equalTo("building"))
                .body("active", equalTo(false))
                .body("dimensions", equalTo(384))
                .body("storage", equalTo("halfvec"))
                .body("build_job", matchesPattern("[0-9a-f-]{36}"));
        String job = given().get("/v1/jobs").then().extract().path("items[0].id");
        assertThat(Catalogs.awaitJob(job)).containsEntry("state", "done").containsEntry("done", 12);
        given().get("/v1/spaces/bge").then().statusCode(200).body("status", equalTo("ready"))
                .body("vectors", equalTo(Map.of("ready", 12, "pending", 0, "failed", 0)));
        // the index was built with the space's own parameters, and each space reports what its index was built with
        assertThat(TestDb.text("SELECT indexdef FROM pg_indexes WHERE indexname = (SELECT 'item_vectors_' || id "
                + "|| '_hnsw' FROM spaces WHERE name = 'bge')")).contains("WITH (m='24', ef_construction='100')");
        Map<String, Integer> content = given().get("/v1/spaces/content").then().extract().path("index");
        assertThat(TestDb.text("SELECT indexdef FROM pg_indexes WHERE indexname = (SELECT 'item_vectors_' || id "
                + "|| '_hnsw' FROM spaces WHERE name = 'content')")).contains("WITH (m='" + content.get("m")
                + "', ef_construction='" + content.get("ef_construction") + "')");

        // the active space keeps serving until the switch
        given().get("/v1/items/esp-1/similar").then().statusCode(200).body("space", equalTo("content"));
        given().get("/v1/spaces/bge/compare?sample=12").then().statusCode(200)
                .body("space", equalTo("bge")).body("against", equalTo("content")).body("sampled", equalTo(12))
                .body("examples.size()", equalTo(3));

        given().post("/v1/spaces/bge/activate").then().statusCode(200).body("active", equalTo(true));
        given().get("/v1/items/esp-1/similar").then().statusCode(200).body("space", equalTo("bge"));
        assertThat(given().queryParam("k", 3).get("/v1/items/esp-1/similar").then().extract().jsonPath()
                .getList("items.id", String.class)).containsExactlyInAnyOrder("esp-2", "esp-3", "esp-4");
        List<Map<String, Object>> spaces = given().get("/v1/spaces").then().statusCode(200).extract().path("items");
        assertThat(spaces).filteredOn(s -> Boolean.TRUE.equals(s.get("active"))).extracting(s -> s.get("name"))
                .containsExactly("bge");

        // rollback
        given().post("/v1/spaces/content/activate").then().statusCode(200);
        given().get("/v1/items/esp-1/similar").then().statusCode(200).body("space", equalTo("content"));
        given().delete("/v1/spaces/content").then().statusCode(409).contentType(PROBLEM)
                .body("detail", equalTo("space 'content' is active; activate another space of kind 'content' first"));
        given().delete("/v1/spaces/bge").then().statusCode(204);
        given().get("/v1/spaces/bge").then().statusCode(404);
    }

    @Test
    void badSpaceRequests() {
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "kind", "graph")).post("/v1/spaces")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("kind"))
                .body("errors[0].message", equalTo("'graph' is not one of [content, collaborative]"));
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "model", "gpt-9")).post("/v1/spaces")
                .then().statusCode(400).body("errors[0].field", equalTo("model"));
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "recipe", List.of("title", "colour")))
                .post("/v1/spaces").then().statusCode(400)
                .body("detail", equalTo("'recipe': field 'colour' is not one of title, categories, description, "
                        + "attributes.<name>"));
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "index", Map.of("m", 1))).post("/v1/spaces")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("index"))
                .body("errors[0].message", equalTo("m must be between 2 and 100 (got 1)"));
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "index", Map.of("m", 32, "ef_construction", 40)))
                .post("/v1/spaces").then().statusCode(400)
                .body("detail", equalTo("'index': ef_construction must be at least twice m (got m 32, "
                        + "ef_construction 40)"));
        given().contentType(ContentType.JSON).body(Map.of("name", "Bad Name")).post("/v1/spaces")
                .then().statusCode(400).body("errors[0].field", equalTo("name"));
        given().contentType(ContentType.JSON).body(Map.of("name", "content")).post("/v1/spaces")
                .then().statusCode(409).body("detail", equalTo("a space named 'content' exists already"));
        given().post("/v1/spaces/nope/activate").then().statusCode(404)
                .body("detail", equalTo("no space named 'nope'"));
        given().delete("/v1/spaces/nope").then().statusCode(404);
    }
}
