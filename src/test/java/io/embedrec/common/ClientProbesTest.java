package io.embedrec.common;

import io.embedrec.support.TestDb;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The requests a review found answering 500 or doing unbounded work: each gets a 4xx problem+json naming what is
 * wrong, and nothing accepted before it is lost.
 */
@QuarkusTest
class ClientProbesTest {

    static final String PROBLEM = "application/problem+json";

    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void twoItems() {
        TestDb.exec("TRUNCATE items, events CASCADE");
        for (String id : List.of("a", "b")) {
            given().contentType(ContentType.JSON).body(Map.of("title", "Item " + id)).put("/v1/items/" + id)
                    .then().statusCode(201);
        }
    }

    @Test
    void aContentTypeThatIsNotAMediaTypeIs400() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/v1/items/c"))
                .header("Content-Type", "text").PUT(HttpRequest.BodyPublishers.ofString("{\"title\": \"x\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(PROBLEM);
        assertThat(JsonPath.from(r.body()).getString("detail")).isEqualTo("the Content-Type header 'text' is not a "
                + "media type; send type/subtype, such as application/json");
        assertThat(TestDb.count("SELECT count(*) FROM items")).isEqualTo(2);
    }

    @Test
    void nulInACursorAQueryParameterOrASearchIs400() {
        given().get("/v1/items?cursor=AA").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("cursor 'AA' is not a cursor this API issued; pass the 'next' value of the "
                        + "previous page unchanged"));
        given().urlEncodingEnabled(false).get("/v1/items/a%00b").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("the path contains a NUL character (%00); ids cannot hold one"));
        given().urlEncodingEnabled(false).get("/v1/items?category=%00").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("query parameter 'category' contains a NUL character (%00), which no value "
                        + "can hold"));
        given().urlEncodingEnabled(false).get("/v1/items/a/similar?attr.color=re%00d").then().statusCode(400)
                .contentType(PROBLEM)
                .body("detail", equalTo("query parameter 'attr.color' contains a NUL character (%00), which no "
                        + "value can hold"));
        given().contentType(ContentType.JSON).body("{\"query\": \"a\\u0000b\", \"mode\": \"keyword\"}")
                .post("/v1/search").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("'query' must not contain NUL characters"));
        given().contentType(ContentType.JSON).body("{\"query\": \"ab\", \"mode\": \"keyword\", \"filters\": "
                        + "{\"categories\": [\"x\\u0000\"], \"attributes\": {\"k\": \"v\\u0000\"}}}")
                .post("/v1/search").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("filters.attributes.k", "filters.categories")))
                .body("errors.message", equalTo(List.of("must not contain NUL characters",
                        "must not contain NUL characters")));
    }

    @Test
    void tensOfThousandsOfFiltersAre400NotABindParameterOverflow() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (int i = 0; i < 33_000; i++) {
            attributes.put("k" + i, "v");
        }
        given().contentType(ContentType.JSON).body(Map.of("query", "item", "mode", "keyword",
                        "filters", Map.of("attributes", attributes)))
                .post("/v1/search").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("filter 'filters': at most 64 attribute conditions (equalities and ranges) "
                        + "per request (got 33000)"));
        StringBuilder query = new StringBuilder("/v1/items/a/similar?k=1");
        for (int i = 0; i < 65; i++) {
            query.append("&attr.k").append(i).append("=v");
        }
        given().get(query.toString()).then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("filter 'attr': at most 64 attribute conditions (equalities and ranges) per "
                        + "request (got 65)"));
        List<String> exclude = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            exclude.add("x" + i);
        }
        given().contentType(ContentType.JSON).body(Map.of("positive", List.of("a"), "exclude", exclude))
                .post("/v1/recommend").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("filter 'exclude': at most 10000 excluded ids per request (got 10001)"));
        given().contentType(ContentType.JSON).body("{\"positive\": [\"a\"], \"exclude\": [null]}")
                .post("/v1/recommend").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("exclude")));
    }

    @Test
    void aCsvHeaderWithAnEmptyOrRepeatedNameIs400() {
        given().contentType("text/csv").body("user,item,type,\nu1,a,view,\n").post("/v1/events")
                .then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("the CSV header's column 4 has no name; name every column (user, item, "
                        + "type, ...) or remove the empty one"));
        given().contentType("text/csv").body("user,item,type,user\nu1,a,view,u2\n").post("/v1/events")
                .then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("the CSV header names column 'user' twice"));
        assertThat(TestDb.count("SELECT count(*) FROM events")).isZero();
    }

    @Test
    void brokenCsvQuotingKeepsTheRowsBeforeItAndNamesNoClass() {
        JsonPath r = given().contentType("text/csv")
                .body("id,user,item,type\ne1,u1,a,view\ne2,u1,b,view\ne3,\"u2,a,view\ne4,u2,b,view\n")
                .post("/v1/events").then().statusCode(200).extract().jsonPath();
        assertThat(r.getInt("accepted")).isEqualTo(2);
        assertThat(r.getInt("rejected")).isEqualTo(1);
        String detail = r.getString("errors[0].detail");
        assertThat(detail).startsWith("the CSV body is malformed at line ").endsWith("; rows after it were not read")
                .doesNotContain("Exception").doesNotContain("org.apache").doesNotContain("java.");
        assertThat(TestDb.count("SELECT count(*) FROM events")).isEqualTo(2);
    }

    @Test
    void nullsInsideListsAreFieldErrors() {
        given().contentType(ContentType.JSON).body("{\"name\": \"probe\", \"kind\": \"content\", \"recipe\": [null]}")
                .post("/v1/spaces").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("recipe[0]")))
                .body("errors.message", equalTo(List.of("must not be null")));
        String space = given().get("/v1/spaces").then().statusCode(200).extract().jsonPath()
                .getString("items.find { it.active }.name");
        given().contentType(ContentType.JSON).body("{\"method\": \"pca\", \"points\": [null]}")
                .put("/v1/spaces/" + space + "/map").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("points[0]")))
                .body("errors.message", equalTo(List.of("must not be null")));
    }

    @Test
    void comparingSpacesIsBoundedAndRefusedWhileOneIsBuilding() {
        given().get("/v1/spaces/content/compare?sample=2000").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("sample must be between 1 and 500 (got 2000)"));
        String build = given().contentType(ContentType.JSON).body(Map.of("name", "probe-cmp")).post("/v1/spaces")
                .then().statusCode(201).extract().path("build_job");
        // its own build job marks it ready when done: let it finish before the test makes it look unfinished
        io.embedrec.support.Catalogs.awaitJob(build);
        try {
            // as while its build job runs: no index yet, so every neighbour query would scan the table
            TestDb.exec("UPDATE spaces SET status = 'building' WHERE name = 'probe-cmp'");
            given().get("/v1/spaces/probe-cmp/compare").then().statusCode(409).contentType(PROBLEM)
                    .body("detail", equalTo("space 'probe-cmp' is still building; compare it when its build job is "
                            + "done"));
        } finally {
            TestDb.exec("UPDATE spaces SET status = 'ready' WHERE name = 'probe-cmp'");
            given().delete("/v1/spaces/probe-cmp");
        }
    }

    @Test
    void progressStreamsAreCappedPerInstance() throws Exception {
        String job = "5a1e0000-0000-4000-8000-000000000001";
        TestDb.exec("DELETE FROM jobs WHERE id = '" + job + "'", "INSERT INTO jobs (id, type, state, worker, "
                + "started_at) VALUES ('" + job + "', 'train', 'running', 'another-instance', now())");
        HttpClient http = HttpClient.newHttpClient();
        List<java.util.concurrent.CompletableFuture<HttpResponse<java.io.InputStream>>> open = new ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(
                        base.resolve("/v1/jobs/" + job + "/progress")).header("Accept", "text/event-stream").build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(r.statusCode()).isEqualTo(200);
                open.add(java.util.concurrent.CompletableFuture.completedFuture(r));
            }
            given().accept("text/event-stream").get("/v1/jobs/" + job + "/progress").then().statusCode(429)
                    .contentType(PROBLEM).header("Retry-After", "10")
                    .body("detail", equalTo("64 progress streams are open on this instance; poll GET /v1/jobs/"
                            + job + " instead, or retry later"));
        } finally {
            TestDb.exec("UPDATE jobs SET state = 'failed', finished_at = now() WHERE id = '" + job + "'");
            for (var f : open) {
                f.get().body().close();
            }
        }
        // the streams end with the job and free their places
        long deadline = System.nanoTime() + 10_000_000_000L;
        int status;
        do {
            Thread.sleep(200);
            status = given().accept("text/event-stream").get("/v1/jobs/" + job + "/progress").statusCode();
        } while (status != 200 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
        TestDb.exec("DELETE FROM jobs WHERE id = '" + job + "'");
    }

    @Test
    void theOrdinaryLimitHoldsForChunkedBodiesWithoutAContentTypeAndForAnItemCalledImport() throws Exception {
        String body = "{\"title\": \"x\", \"description\": \"" + "d".repeat(2 * 1024 * 1024 + 10) + "\"}";
        byte[] big = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpClient http = HttpClient.newHttpClient();
        // no Content-Type, no Content-Length: a chunked body
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/items/c"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(PROBLEM);
        // PUT /v1/items/import puts an item whose id is "import": no import limit for it
        given().contentType(ContentType.JSON).body(body).put("/v1/items/import")
                .then().statusCode(413).contentType(PROBLEM)
                .body("detail", equalTo("the body is larger than the request limit of 2097152 bytes "
                        + "(embedrec.http.max-body-size)"));
        assertThat(TestDb.count("SELECT count(*) FROM items")).isEqualTo(2);
    }
}
