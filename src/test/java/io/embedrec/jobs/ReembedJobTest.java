package io.embedrec.jobs;

import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class ReembedJobTest {

    static final String PROBLEM = "application/problem+json";

    @BeforeEach
    void topicCatalog() {
        TestDb.exec("TRUNCATE items CASCADE");
        Catalogs.putTopics();
        Catalogs.awaitVectors("content", 12);
    }

    @Test
    void reembedAllRedoesEveryItemAndReportsProgress() {
        String id = given().contentType(ContentType.JSON).body(Map.of("space", "content", "scope", "all"))
                .post("/v1/jobs/reembed").then().statusCode(202)
                .header("Location", org.hamcrest.Matchers.matchesPattern(".*/v1/jobs/[0-9a-f-]{36}"))
                .body("type", equalTo("reembed"))
                .body("params.scope", equalTo("all"))
                .extract().path("id");
        Map<String, Object> job = Catalogs.awaitJob(id);
        assertThat(job).containsEntry("state", "done").containsEntry("total", 12).containsEntry("done", 12)
                .containsEntry("skipped", 0).containsEntry("failed", 0).containsEntry("eta_seconds", 0);
        assertThat(((Number) job.get("items_per_second")).doubleValue()).isPositive();
        assertThat(TestDb.count("SELECT count(*) FROM embedding_queue")).isZero();
        assertThat(given().get("/v1/jobs").then().statusCode(200).extract().jsonPath().getList("items.id"))
                .contains(id);
    }

    @Test
    void reembedStaleSkipsCurrentItemsAndRedoesChangedOnes() {
        // change one item's text behind the API's back, as a stale vector would look after a recipe or bug fix
        TestDb.exec("UPDATE items SET title = 'Espresso machine, steel' WHERE external_id = 'esp-1'");
        String id = given().contentType(ContentType.JSON).body(Map.of("space", "content", "scope", "stale"))
                .post("/v1/jobs/reembed").then().statusCode(202).extract().path("id");
        Map<String, Object> job = Catalogs.awaitJob(id);
        assertThat(job).containsEntry("state", "done").containsEntry("total", 1).containsEntry("done", 1)
                .containsEntry("skipped", 11);
    }

    @Test
    void progressStreamsServerSentEventsUntilTheJobEnds() {
        String id = given().contentType(ContentType.JSON).body(Map.of("space", "content", "scope", "all"))
                .post("/v1/jobs/reembed").then().statusCode(202).extract().path("id");
        String stream = given().accept("text/event-stream").get("/v1/jobs/" + id + "/progress")
                .then().statusCode(200).extract().asString();
        List<String> events = stream.lines().filter(l -> l.startsWith("data:")).toList();
        assertThat(events).isNotEmpty();
        assertThat(events.get(events.size() - 1)).contains("\"state\":\"done\"").contains("\"done\":12");
    }

    @Test
    void cancellingAnEndedJobIs409AndUnknownJobsAre404() {
        String id = given().contentType(ContentType.JSON).body(Map.of("space", "content", "scope", "stale"))
                .post("/v1/jobs/reembed").then().statusCode(202).extract().path("id");
        Catalogs.awaitJob(id);
        given().post("/v1/jobs/" + id + "/cancel").then().statusCode(409).contentType(PROBLEM)
                .body("detail", equalTo("job '" + id + "' has already ended (done)"));
        given().get("/v1/jobs/00000000-0000-0000-0000-000000000000").then().statusCode(404).contentType(PROBLEM)
                .body("detail", equalTo("no job with id '00000000-0000-0000-0000-000000000000'"));
        given().get("/v1/jobs/not-a-uuid").then().statusCode(404);
    }

    @Test
    void badReembedRequests() {
        given().contentType(ContentType.JSON).body(Map.of("space", "nope")).post("/v1/jobs/reembed")
                .then().statusCode(404).contentType(PROBLEM).body("detail", equalTo("no space named 'nope'"));
        given().contentType(ContentType.JSON).body(Map.of("space", "content", "scope", "some"))
                .post("/v1/jobs/reembed").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("'scope' must be 'all' or 'stale'"));
        given().contentType(ContentType.JSON).body(Map.of("scope", "all")).post("/v1/jobs/reembed")
                .then().statusCode(400).body("detail", containsString("'space' is required"));
    }
}
