package io.embedrec.recommendation;

import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

@QuarkusTest
class SimilarItemsTest {

    static final String PROBLEM = "application/problem+json";

    static boolean loaded;

    @BeforeEach
    void topicCatalog() {
        if (loaded) {
            return;
        }
        loaded = true;
        TestDb.exec("TRUNCATE items CASCADE");
        Catalogs.putTopics();
        Catalogs.awaitVectors("content", 12);
    }

    @Test
    void eachItemsNearestNeighboursAreTheOtherItemsOfItsTopic() {
        for (Map.Entry<String, List<String[]>> topic : Catalogs.TOPICS.entrySet()) {
            Set<String> ids = topic.getValue().stream().map(it -> it[0]).collect(Collectors.toSet());
            for (String[] it : topic.getValue()) {
                List<String> got = given().queryParam("k", 3).get("/v1/items/" + it[0] + "/similar")
                        .then().statusCode(200)
                        .body("space", equalTo("content"))
                        .body("exhaustive", equalTo(false))
                        .body("recommendation_id", matchesPattern("[0-9a-f-]{36}"))
                        .extract().jsonPath().getList("items.id");
                Set<String> expected = new java.util.HashSet<>(ids);
                expected.remove(it[0]);
                assertThat(got).as("neighbours of %s", it[0]).containsExactlyInAnyOrderElementsOf(expected);
            }
        }
    }

    @Test
    void scoresAreCosineSimilaritiesInDescendingOrderAndTheItemItselfIsExcluded() {
        var r = given().queryParam("k", 11).get("/v1/items/esp-1/similar").then().statusCode(200)
                .extract().jsonPath();
        List<Float> scores = r.getList("items.score", Float.class);
        assertThat(scores).hasSize(11).isSortedAccordingTo((a, b) -> Float.compare(b, a));
        assertThat(scores.get(0)).isBetween(0.3f, 1.0f);
        assertThat(r.getList("items.id", String.class)).doesNotContain("esp-1");
        assertThat(r.getBoolean("exhaustive")).isFalse();
        given().queryParam("k", 12).get("/v1/items/esp-1/similar").then().statusCode(200)
                .body("items.size()", equalTo(11)).body("exhaustive", equalTo(true));
    }

    @Test
    void filtersCombineWithAndAndStillReturnK() {
        // only coffee items, nearest to a hiking boot
        assertThat(given().queryParam("k", 4).queryParam("category", "coffee").get("/v1/items/boot-1/similar")
                .then().statusCode(200).body("exhaustive", equalTo(false)).extract().jsonPath()
                .getList("items.id", String.class)).containsExactlyInAnyOrder("esp-1", "esp-2", "esp-3", "esp-4");
        // any of two categories, minus excluded ids
        assertThat(given().queryParam("k", 10).queryParam("category", "coffee").queryParam("category", "books")
                .queryParam("exclude", "esp-1,book-1").get("/v1/items/boot-1/similar")
                .then().statusCode(200).body("exhaustive", equalTo(true)).extract().jsonPath()
                .getList("items.id", String.class))
                .containsExactlyInAnyOrder("esp-2", "esp-3", "esp-4", "book-2", "book-3", "book-4");
        // numeric range on an attribute (prices 10, 15, ... 65 in TOPICS order) and an attribute value
        List<String> cheap = given().queryParam("k", 20).queryParam("attr.price.max", 20)
                .get("/v1/items/book-4/similar").then().statusCode(200).extract().jsonPath()
                .getList("items.id", String.class);
        assertThat(cheap).hasSize(3);
        Integer acme = given().queryParam("k", 20).queryParam("attr.brand", "acme").queryParam("attr.price.min", "30")
                .get("/v1/items/book-4/similar").then().statusCode(200).extract().path("items.size()");
        assertThat(acme).isEqualTo((int) TestDb.count("SELECT count(*) FROM items WHERE external_id <> 'book-4' "
                + "AND attributes->>'brand' = 'acme' AND (attributes->>'price')::int >= 30"));
        given().queryParam("attr.price", "15").get("/v1/items/book-4/similar").then().statusCode(200)
                .body("items.size()", equalTo(1));
    }

    @Test
    void efSearchIsAskedPerRequestWithinPgvectorsLimits() {
        List<String> plain = given().queryParam("k", 3).get("/v1/items/esp-1/similar").then().statusCode(200)
                .extract().jsonPath().getList("items.id", String.class);
        assertThat(plain).containsExactlyInAnyOrder("esp-2", "esp-3", "esp-4");
        assertThat(given().queryParam("k", 3).queryParam("ef_search", 400).get("/v1/items/esp-1/similar").then()
                .statusCode(200).extract().jsonPath().getList("items.id", String.class)).isEqualTo(plain);
        given().queryParam("ef_search", 0).get("/v1/items/esp-1/similar").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("ef_search must be between 1 and 1000 (got 0)"))
                .body("errors[0].field", equalTo("ef_search"));
        given().queryParam("ef_search", 1001).get("/v1/items/esp-1/similar").then().statusCode(400)
                .body("detail", equalTo("ef_search must be between 1 and 1000 (got 1001)"));
        given().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("query", "espresso", "mode", "semantic", "k", 3, "ef_search", 200))
                .post("/v1/search").then().statusCode(200).body("items.size()", equalTo(3));
        given().contentType(io.restassured.http.ContentType.JSON).body(Map.of("query", "espresso", "ef_search", 0))
                .post("/v1/search").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("ef_search"))
                .body("errors[0].message", equalTo("must be between 1 and 1000"));
    }

    @Test
    void badRequests() {
        given().get("/v1/items/nope/similar").then().statusCode(404).contentType(PROBLEM)
                .body("detail", equalTo("no item with id 'nope'"));
        given().queryParam("space", "nope").get("/v1/items/esp-1/similar").then().statusCode(404)
                .contentType(PROBLEM).body("detail", equalTo("no space named 'nope'"));
        given().queryParam("k", 0).get("/v1/items/esp-1/similar").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("k must be between 1 and 1000 (got 0)"));
        given().queryParam("k", 1001).get("/v1/items/esp-1/similar").then().statusCode(400)
                .body("detail", equalTo("k must be between 1 and 1000 (got 1001)"));
        given().queryParam("attr.price.min", "cheap").get("/v1/items/esp-1/similar").then().statusCode(400)
                .body("detail", equalTo("filter 'attr.price.min': 'cheap' is not a number"));
        given().queryParam("attr.price.min", "50").queryParam("attr.price.max", "10").get("/v1/items/esp-1/similar")
                .then().statusCode(400)
                .body("detail", equalTo("filter 'attr.price': min (50) is greater than max (10)"));
    }
}
