package io.embedrec.recommendation;

import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** An item that is not available now is left out of every path, and comes back when it is available again. */
@QuarkusTest
class AvailabilityTest {

    @BeforeEach
    void topicCatalog() {
        TestDb.exec("TRUNCATE items, users CASCADE", "TRUNCATE recommendations");
        Catalogs.putTopics();
        Catalogs.awaitVectors("content", 12);
        FeedTest.events("e1", "u1", "esp-1", "purchase");
    }

    static io.restassured.path.json.JsonPath patch(String ndjson) {
        return given().contentType("application/x-ndjson").body(ndjson.getBytes(java.nio.charset.StandardCharsets.UTF_8)).patch("/v1/items/availability")
                .then().statusCode(200).extract().jsonPath();
    }

    /** The ids every path returns for a coffee lover and a query about espresso. */
    static List<List<String>> everyPath() {
        return List.of(
                given().queryParam("k", 11).get("/v1/items/boot-1/similar").then().statusCode(200)
                        .extract().jsonPath().getList("items.id", String.class),
                given().queryParam("k", 11).queryParam("mode", "blend").get("/v1/items/boot-1/similar").then()
                        .statusCode(200).extract().jsonPath().getList("items.id", String.class),
                given().queryParam("k", 3).queryParam("category", "coffee").get("/v1/items/esp-1/similar").then()
                        .statusCode(200).extract().jsonPath().getList("items.id", String.class),
                FeedTest.feed("u1", 11),
                FeedTest.feed("someone-new", 12),
                given().contentType(ContentType.JSON).body(Map.of("positive", List.of("esp-1"), "k", 11))
                        .post("/v1/recommend").then().statusCode(200).extract().jsonPath()
                        .getList("items.id", String.class),
                search("semantic"), search("keyword"), search("hybrid"));
    }

    static List<String> search(String mode) {
        return given().contentType(ContentType.JSON).body(Map.of("query", "espresso machine", "mode", mode, "k", 12))
                .post("/v1/search").then().statusCode(200).extract().jsonPath().getList("items.id", String.class);
    }

    @Test
    void anUnavailableItemLeavesEveryPathAndComesBackWhenAvailableAgain() {
        List<List<String>> before = everyPath();
        assertThat(before).allSatisfy(ids -> assertThat(ids).contains("esp-2"));
        assertThat(patch("{\"id\": \"esp-2\", \"available\": false}\n").getInt("updated")).isEqualTo(1);
        List<List<String>> during = everyPath();
        assertThat(during).allSatisfy(ids -> assertThat(ids).doesNotContain("esp-2"));
        // the coffee filter asked for 3 neighbours of esp-1: the two other coffee items that are on offer
        assertThat(during.get(2)).containsExactlyInAnyOrder("esp-3", "esp-4");
        given().get("/v1/items/esp-2").then().statusCode(200).body("available", equalTo(false));
        assertThat(patch("{\"id\": \"esp-2\", \"available\": true}\n").getInt("updated")).isEqualTo(1);
        assertThat(everyPath()).isEqualTo(before);
    }

    @Test
    void aSaleWindowDecidesWhenTheItemIsOffered() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        patch("{\"id\": \"esp-2\", \"available_from\": \"" + now.plus(1, ChronoUnit.DAYS) + "\"}\n"
                + "{\"id\": \"esp-3\", \"available_until\": \"" + now.minus(1, ChronoUnit.HOURS) + "\"}\n"
                + "{\"id\": \"esp-4\", \"available_from\": \"" + now.minus(1, ChronoUnit.DAYS) + "\", "
                + "\"available_until\": \"" + now.plus(1, ChronoUnit.DAYS) + "\"}\n");
        List<String> coffee = given().queryParam("k", 5).queryParam("category", "coffee")
                .get("/v1/items/boot-1/similar").then().statusCode(200).body("exhaustive", equalTo(true))
                .extract().jsonPath().getList("items.id", String.class);
        assertThat(coffee).containsExactlyInAnyOrder("esp-1", "esp-4");
        // clearing the window's start (null) puts esp-2 back; a window end left out keeps its value
        patch("{\"id\": \"esp-2\", \"available_from\": null}\n");
        assertThat(given().queryParam("k", 5).queryParam("category", "coffee").get("/v1/items/boot-1/similar")
                .then().statusCode(200).extract().jsonPath().getList("items.id", String.class))
                .containsExactlyInAnyOrder("esp-1", "esp-2", "esp-4");
        given().get("/v1/items/esp-4").then().statusCode(200).body("available", equalTo(true))
                .body("available_until", equalTo(now.plus(1, ChronoUnit.DAYS).toString()));
    }

    /** Every stored vector's text hash and embedding, in item order, for the default space. */
    static String vectorState() {
        String table = "item_vectors_" + TestDb.text("SELECT id FROM spaces WHERE name = 'content'");
        return TestDb.text("SELECT string_agg(encode(text_hash, 'hex') || md5(embedding::text), ',' ORDER BY item_pk) "
                + "FROM " + table);
    }

    @Test
    void availabilityChangesDoNotReEmbed() {
        String hashBefore = vectorState();
        patch("{\"id\": \"esp-2\", \"available\": false}\n{\"id\": \"esp-3\", \"available_until\": \"2030-01-01T00:00:00Z\"}\n");
        assertThat(TestDb.count("SELECT count(*) FROM embedding_queue")).isZero();
        assertThat(vectorState()).isEqualTo(hashBefore);
    }

    @Test
    void aPutKeepsTheStoredAvailabilityUnlessItGivesIt() {
        given().contentType(ContentType.JSON).body(Map.of("title", "Compact pump espresso maker", "available", false))
                .put("/v1/items/esp-2").then().statusCode(200).body("available", equalTo(false));
        // a catalog feed that knows nothing of stock does not put it back on sale
        given().contentType(ContentType.JSON).body(Map.of("title", "Compact pump espresso maker, 2nd edition"))
                .put("/v1/items/esp-2").then().statusCode(200).body("available", equalTo(false));
        given().contentType(ContentType.JSON).body(Map.of("title", "A new kettle", "available_from",
                        "2030-01-01T00:00:00Z", "available_until", "2029-01-01T00:00:00Z"))
                .put("/v1/items/kettle-1").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("'available_until' must be after available_from"))
                .body("errors[0].field", equalTo("available_until"));
        given().get("/v1/items/kettle-1").then().statusCode(404);
    }

    @Test
    void badLinesAreReportedByNumberAndGoodLinesKept() {
        var r = patch("{\"id\": \"esp-1\", \"available\": false}\n"
                + "{\"id\": \"no-such-item\", \"available\": false}\n"
                + "{\"id\": \"esp-2\", \"available\": \"no\"}\n"
                + "{\"id\": \"esp-3\", \"available_until\": \"tomorrow\"}\n"
                + "{\"id\": \"esp-4\", \"availible\": false}\n"
                + "{\"id\": \"book-1\"}\n"
                + "not json\n"
                + "{\"id\": \"book-2\", \"available_from\": \"2030-01-01T00:00:00Z\", "
                + "\"available_until\": \"2020-01-01T00:00:00Z\"}\n"
                + "{\"id\": \"book-3\", \"available\": true}\n");
        assertThat(r.getLong("lines")).isEqualTo(9);
        assertThat(r.getLong("updated")).isEqualTo(1);
        assertThat(r.getLong("unchanged")).isEqualTo(1);
        assertThat(r.getLong("rejected")).isEqualTo(7);
        assertThat(r.getList("errors.line", Integer.class)).containsExactly(2, 3, 4, 5, 6, 7, 8);
        assertThat(r.getList("errors.detail", String.class)).containsExactly(
                "no item has this id",
                "'available' must be true or false",
                "'available_until' is not an ISO-8601 time with an offset, such as \"2026-12-24T00:00:00Z\" "
                        + "(got \"tomorrow\")",
                "'availible' is not a field of an availability change; expected available, available_from, "
                        + "available_until",
                "gives none of 'available', 'available_from', 'available_until'",
                r.getList("errors.detail", String.class).get(5),
                "'available_until' must be after 'available_from'");
        assertThat(r.getList("errors.detail", String.class).get(5)).startsWith("the line is not valid JSON");
        given().get("/v1/items/esp-1").then().body("available", equalTo(false));
        // a window end that conflicts with the stored one is refused, and nothing else on that item changes
        patch("{\"id\": \"book-4\", \"available_until\": \"2030-01-01T00:00:00Z\"}\n");
        var conflict = patch("{\"id\": \"book-4\", \"available\": false, \"available_from\": \"2031-01-01T00:00:00Z\"}\n");
        assertThat(conflict.getList("errors.detail", String.class)).containsExactly("'available_until' must be "
                + "after 'available_from' (with the stored value of the one not given)");
        given().get("/v1/items/book-4").then().body("available", equalTo(true));
        given().contentType("application/x-ndjson").body(new byte[0]).patch("/v1/items/availability").then().statusCode(400)
                .contentType("application/problem+json");
    }
}
