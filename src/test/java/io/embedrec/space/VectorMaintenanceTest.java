package io.embedrec.space;

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
class VectorMaintenanceTest {

    @BeforeEach
    void topicCatalog() {
        TestDb.exec("TRUNCATE items CASCADE");
        Catalogs.putTopics();
        Catalogs.awaitVectors("content", 12);
    }

    static String embeddedAt(String id) {
        return TestDb.text("SELECT v.embedded_at::text FROM items i JOIN item_vectors_"
                + TestDb.count("SELECT id FROM spaces WHERE name = 'content'")
                + " v ON v.item_pk = i.pk WHERE i.external_id = '" + id + "'");
    }

    @Test
    void itemShowsItsVectorStatusPerSpace() {
        given().get("/v1/items/esp-1").then().statusCode(200)
                .body("vectors", equalTo(Map.of("content", Map.of("status", "ready"))));
    }

    @Test
    void replacingAnItemWithUnchangedTextDoesNotReEmbedIt() {
        String before = embeddedAt("esp-2");
        // same text; only an attribute the recipe does not use changes
        given().contentType(ContentType.JSON).body(Map.of("title", "Compact pump espresso maker",
                        "description", "A small espresso coffee machine with a 15 bar pump for rich crema",
                        "categories", List.of("coffee"), "attributes", Map.of("price", 999)))
                .put("/v1/items/esp-2").then().statusCode(200);
        assertThat(TestDb.count("SELECT count(*) FROM embedding_queue")).isZero();
        Catalogs.sleep(500);
        assertThat(embeddedAt("esp-2")).isEqualTo(before);
    }

    @Test
    void changedTextIsReEmbeddedAndItsNeighboursFollow() {
        String before = embeddedAt("book-4");
        assertThat(given().queryParam("k", 3).get("/v1/items/book-4/similar").then().extract().jsonPath()
                .getList("items.id", String.class)).allMatch(id -> id.startsWith("book-"));
        given().contentType(ContentType.JSON).body(Map.of("title", "Stovetop espresso coffee pot",
                        "description", "Brew strong espresso coffee on the stove; a moka pot for coffee lovers",
                        "categories", List.of("coffee")))
                .put("/v1/items/book-4").then().statusCode(200);
        Catalogs.awaitVectors("content", 12);
        assertThat(embeddedAt("book-4")).isNotEqualTo(before);
        assertThat(given().queryParam("k", 3).get("/v1/items/book-4/similar").then().extract().jsonPath()
                .getList("items.id", String.class)).allMatch(id -> id.startsWith("esp-"));
    }

    @Test
    void deletingAnItemRemovesItsVectors() {
        given().delete("/v1/items/boot-4").then().statusCode(204);
        given().get("/v1/spaces/content").then().statusCode(200)
                .body("vectors", equalTo(Map.of("ready", 11, "pending", 0, "failed", 0)));
        assertThat(given().queryParam("k", 20).get("/v1/items/boot-1/similar").then().extract().jsonPath()
                .getList("items.id", String.class)).hasSize(10).doesNotContain("boot-4");
    }
}
