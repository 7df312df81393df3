package io.embedrec.recommendation;

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
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class SearchTest {

    static boolean loaded;

    @BeforeEach
    void topicCatalog() {
        if (loaded) {
            return;
        }
        loaded = true;
        TestDb.exec("TRUNCATE items CASCADE");
        Catalogs.putTopics();
        given().contentType(ContentType.JSON).body(Map.of("title", "Grinder ZX-4471", "description",
                "Burr grinder", "categories", List.of("coffee"))).put("/v1/items/sku-4471").then().statusCode(201);
        Catalogs.awaitVectors("content", 13);
    }

    List<String> ids(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/search").then().statusCode(200)
                .extract().jsonPath().getList("items.id", String.class);
    }

    @Test
    void semanticSearchFindsTheTopicWithoutSharedWords() {
        assertThat(ids(Map.of("query", "something to read to my toddler at night", "mode", "semantic", "k", 4)))
                .containsExactlyInAnyOrder("book-1", "book-2", "book-3", "book-4");
        given().contentType(ContentType.JSON).body(Map.of("query", "latte", "mode", "semantic"))
                .post("/v1/search").then().body("mode", equalTo("semantic")).body("space", equalTo("content"));
    }

    @Test
    void keywordSearchFindsExactNamesAndSkus() {
        assertThat(ids(Map.of("query", "ZX-4471", "mode", "keyword"))).containsExactly("sku-4471");
        assertThat(ids(Map.of("query", "dragon", "mode", "keyword"))).containsExactly("book-4");
    }

    @Test
    void hybridIsTheDefaultAndPutsExactMatchesFirst() {
        var r = given().contentType(ContentType.JSON).body(Map.of("query", "ZX-4471", "k", 3)).post("/v1/search")
                .then().statusCode(200).body("mode", equalTo("hybrid")).extract().jsonPath();
        assertThat(r.getList("items.id", String.class).get(0)).isEqualTo("sku-4471");
        assertThat(ids(Map.of("query", "espresso", "k", 4, "filters", Map.of("exclude", List.of("esp-1")))))
                .doesNotContain("esp-1").hasSize(4);
    }

    @Test
    void filtersApplyToSearch() {
        assertThat(ids(Map.of("query", "boots", "mode", "semantic", "k", 5,
                "filters", Map.of("categories", List.of("books")))))
                .containsExactlyInAnyOrder("book-1", "book-2", "book-3", "book-4");
        assertThat(ids(Map.of("query", "coffee", "mode", "semantic", "k", 20,
                "filters", Map.of("ranges", Map.of("price", Map.of("min", 40, "max", 45))))))
                .hasSize(2);
    }

    @Test
    void badSearchRequests() {
        given().contentType(ContentType.JSON).body("{\"query\": \"x\", \"filters\": {\"colour\": \"red\"}}")
                .post("/v1/search").then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("unknown field 'filters.colour' at line 1, column 44; known fields: "
                        + "[attributes, categories, exclude, ranges]"));
        given().contentType(ContentType.JSON).body(Map.of("query", "x", "filters",
                        Map.of("ranges", Map.of("price", Map.of("min", 5, "max", 1)))))
                .post("/v1/search").then().statusCode(400)
                .body("detail", equalTo("filter 'filters.ranges.price': min (5) is greater than max (1)"));
        given().contentType(ContentType.JSON).body(Map.of("query", "x", "filters",
                        Map.of("ranges", Map.of("price", "cheap"))))
                .post("/v1/search").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("query", "x", "mode", "fuzzy")).post("/v1/search")
                .then().statusCode(400).body("detail", equalTo("'mode' must be 'semantic', 'keyword' or 'hybrid'"));
        given().contentType(ContentType.JSON).body(Map.of("query", "x", "k", 1001)).post("/v1/search")
                .then().statusCode(400).body("detail", equalTo("'k' must be between 1 and 1000"));
        given().contentType(ContentType.JSON).body(Map.of("query", "")).post("/v1/search")
                .then().statusCode(400).body("detail", equalTo("'query' is required"));
    }
}
