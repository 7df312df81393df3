package io.embedrec.catalog;

import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class ItemResourceTest {

    static final String ISO_UTC = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z";

    @BeforeEach
    void emptyCatalog() {
        TestDb.exec("TRUNCATE items CASCADE");
    }

    @Test
    void putCreatesThenReplacesAndGetReturnsExactBody() {
        Map<String, Object> boot = Map.of(
                "title", "Trail boot",
                "description", "Waterproof leather hiking boot",
                "categories", List.of("hiking", "footwear"),
                "attributes", Map.of("brand", "Alpine", "price", 129.5, "waterproof", true, "size_eu", 42));

        given().contentType(ContentType.JSON).body(boot)
                .when().put("/v1/items/boot-1")
                .then().statusCode(201)
                .header("Location", endsWith("/v1/items/boot-1"))
                .body("id", equalTo("boot-1"))
                .body("title", equalTo("Trail boot"))
                .body("created_at", matchesPattern(ISO_UTC));

        Map<String, Object> got = given().when().get("/v1/items/boot-1")
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath().getMap("");
        assertThat(got).containsOnlyKeys("id", "title", "description", "categories", "attributes", "available",
                "created_at", "updated_at", "vectors");
        assertThat(got).containsEntry("available", true);
        assertThat(got).containsEntry("id", "boot-1").containsEntry("title", "Trail boot")
                .containsEntry("description", "Waterproof leather hiking boot")
                .containsEntry("categories", List.of("hiking", "footwear"))
                .containsEntry("attributes", Map.of("brand", "Alpine", "price", 129.5f, "waterproof", true,
                        "size_eu", 42));

        given().contentType(ContentType.JSON).body(Map.of("title", "Trail boot II", "categories", List.of("hiking")))
                .when().put("/v1/items/boot-1")
                .then().statusCode(200)
                .body("title", equalTo("Trail boot II"))
                .body("description", equalTo(""))
                .body("categories", equalTo(List.of("hiking")))
                .body("attributes", equalTo(Map.of()));
        assertThat(TestDb.count("SELECT count(*) FROM items")).isEqualTo(1);
    }

    @Test
    void replacingWithIdenticalContentKeepsUpdatedAt() {
        Map<String, Object> body = Map.of("title", "Espresso machine", "categories", List.of("coffee"));
        String first = given().contentType(ContentType.JSON).body(body).put("/v1/items/esp-1")
                .then().statusCode(201).extract().path("updated_at");
        String second = given().contentType(ContentType.JSON).body(body).put("/v1/items/esp-1")
                .then().statusCode(200).extract().path("updated_at");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void deleteRemovesTheItemAndAnswers404Afterwards() {
        given().contentType(ContentType.JSON).body(Map.of("title", "Picture book")).put("/v1/items/book-1")
                .then().statusCode(201);
        given().delete("/v1/items/book-1").then().statusCode(204);
        given().get("/v1/items/book-1").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Item not found"))
                .body("detail", equalTo("no item with id 'book-1'"));
        given().delete("/v1/items/book-1").then().statusCode(404)
                .body("detail", equalTo("no item with id 'book-1'"));
    }

    @Test
    void listPagesThroughAllItemsInIdOrderWithCursor() {
        for (String id : List.of("c", "a", "e", "b", "d")) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("title", "Item " + id, "categories", List.of(id.compareTo("c") < 0 ? "early" : "late")))
                    .put("/v1/items/" + id).then().statusCode(201);
        }
        var page1 = given().queryParam("limit", 2).get("/v1/items").then().statusCode(200).extract().jsonPath();
        assertThat(page1.getList("items.id")).containsExactly("a", "b");
        String next = page1.getString("next");
        var page2 = given().queryParam("limit", 2).queryParam("cursor", next).get("/v1/items")
                .then().statusCode(200).extract().jsonPath();
        assertThat(page2.getList("items.id")).containsExactly("c", "d");
        var page3 = given().queryParam("limit", 2).queryParam("cursor", page2.getString("next")).get("/v1/items")
                .then().statusCode(200).body("next", nullValue()).extract().jsonPath();
        assertThat(page3.getList("items.id")).containsExactly("e");

        assertThat(given().queryParam("category", "late").get("/v1/items").then().statusCode(200)
                .extract().jsonPath().getList("items.id")).containsExactly("c", "d", "e");
        assertThat(given().queryParam("category", "early").queryParam("category", "none").get("/v1/items")
                .then().statusCode(200).extract().jsonPath().getList("items.id")).containsExactly("a", "b");
    }
}
