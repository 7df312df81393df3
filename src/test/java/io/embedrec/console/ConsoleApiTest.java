package io.embedrec.console;

import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class ConsoleApiTest {

    @BeforeEach
    void topicCatalog() {
        TestDb.exec("TRUNCATE items, users CASCADE", "TRUNCATE recommendations", "TRUNCATE space_maps CASCADE");
        Catalogs.putTopics();
        Catalogs.awaitVectors("content", 12);
    }

    @Test
    void facetsListCategoriesWithCountsAndAttributeNamesWithTheirType() {
        given().get("/v1/facets").then().statusCode(200)
                .body("categories.name", contains("books", "coffee", "hiking"))
                .body("categories.count", contains(4, 4, 4))
                .body("attributes.find { it.name == 'price' }.type", equalTo("number"))
                .body("attributes.find { it.name == 'brand' }.type", equalTo("string"))
                .body("attributes.find { it.name == 'brand' }.count", equalTo(12));
    }

    @Test
    void facetsAreCachedButAChangeToTheCatalogShowsAtOnce() {
        given().get("/v1/facets").then().statusCode(200).body("categories.name", contains("books", "coffee", "hiking"));
        given().contentType("application/json").body(Map.of("title", "Tea pot", "categories", List.of("tea")))
                .put("/v1/items/tea-1").then().statusCode(201);
        given().get("/v1/facets").then().statusCode(200)
                .body("categories.name", contains("books", "coffee", "hiking", "tea"));
        given().delete("/v1/items/tea-1").then().statusCode(204);
        given().get("/v1/facets").then().statusCode(200).body("categories.name", contains("books", "coffee", "hiking"));
    }

    @Test
    void sampleIsStableAndCarriesTheStoredVectorsAsLittleEndianFloats() {
        var first = given().queryParam("n", 5).get("/v1/spaces/content/sample").then().statusCode(200)
                .body("space", equalTo("content")).body("dimensions", equalTo(384)).body("total", equalTo(12))
                .extract().jsonPath();
        List<String> ids = first.getList("items.id");
        assertThat(ids).hasSize(5);
        assertThat(given().queryParam("n", 5).get("/v1/spaces/content/sample").jsonPath().getList("items.id", String.class))
                .isEqualTo(ids);
        String id = ids.get(0);
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(first.getString("items[0].vector")))
                .order(ByteOrder.LITTLE_ENDIAN);
        String stored = TestDb.text("SELECT v.embedding::text FROM item_vectors_" + spaceId() + " v JOIN items i ON i.pk = v.item_pk "
                + "WHERE i.external_id = '" + id + "'");
        String[] parts = stored.substring(1, stored.length() - 1).split(",");
        assertThat(b.remaining()).isEqualTo(384 * 4);
        for (int i = 0; i < 384; i++) {
            assertThat(b.getFloat()).isEqualTo(Float.parseFloat(parts[i]));
        }
        given().queryParam("n", 0).get("/v1/spaces/content/sample").then().statusCode(400)
                .contentType("application/problem+json").body("detail", equalTo("n must be between 1 and 20000"));
    }

    @Test
    void aSavedMapIsServedWithTitlesAndCategoriesAndDropsUnknownIds() {
        given().get("/v1/spaces/content/map").then().statusCode(404).contentType("application/problem+json")
                .body("title", equalTo("No map for this space"));
        List<Map<String, Object>> points = new ArrayList<>(List.of(
                Map.of("id", "boot-1", "x", 1.5, "y", -2.0),
                Map.of("id", "esp-1", "x", 10.0, "y", 3.25),
                Map.of("id", "not-in-catalog", "x", 0, "y", 0)));
        given().contentType(ContentType.JSON).body(Map.of("method", "umap", "points", points, "vector_count", 12))
                .put("/v1/spaces/content/map").then().statusCode(200).body("points.id", contains("boot-1", "esp-1"));
        given().get("/v1/spaces/content/map").then().statusCode(200)
                .body("method", equalTo("umap")).body("vector_count", equalTo(12)).body("stale", equalTo(false))
                .body("changed", equalTo(0))
                .body("points[0].id", equalTo("boot-1")).body("points[0].x", equalTo(1.5f))
                .body("points[0].y", equalTo(-2.0f)).body("points[0].category", equalTo("hiking"))
                .body("points[0].title", equalTo("Waterproof leather hiking boots"));
        // a deleted item leaves the map with it
        given().delete("/v1/items/esp-1").then().statusCode(204);
        given().get("/v1/spaces/content/map").then().statusCode(200).body("points.id", contains("boot-1"));
    }

    @Test
    void aMapTurnsStaleOnceMoreThanAFifthOfTheVectorsChanged() {
        given().contentType(ContentType.JSON)
                .body(Map.of("method", "pca", "points", List.of(Map.of("id", "boot-1", "x", 0, "y", 0)), "vector_count", 12))
                .put("/v1/spaces/content/map").then().statusCode(200);
        // 2 of 12 changed: not stale; 3 of 12 (25 %): stale
        for (String id : List.of("boot-2", "boot-3")) {
            given().contentType(ContentType.JSON).body(Map.of("title", "Changed " + id, "categories", List.of("hiking")))
                    .put("/v1/items/" + id).then().statusCode(200);
        }
        Catalogs.awaitVectors("content", 12);
        given().get("/v1/spaces/content/map").then().body("changed", equalTo(2)).body("stale", equalTo(false));
        given().contentType(ContentType.JSON).body(Map.of("title", "Changed boot-4", "categories", List.of("hiking")))
                .put("/v1/items/boot-4").then().statusCode(200);
        Catalogs.awaitVectors("content", 12);
        given().get("/v1/spaces/content/map").then().body("changed", equalTo(3)).body("stale", equalTo(true));
    }

    @Test
    void aBadMapIsRejectedWithTheFieldsAtFault() {
        given().contentType(ContentType.JSON).body(Map.of("method", "mds", "points", List.of(Map.of("x", 1, "y", 2))))
                .put("/v1/spaces/content/map").then().statusCode(400).contentType("application/problem+json")
                .body("errors.message", hasItem("must be 'umap', 'tsne' or 'pca'"))
                .body("errors.message", hasItem("is required"));
        given().contentType(ContentType.JSON).body(Map.of("method", "umap", "points", List.of()))
                .put("/v1/spaces/nope/map").then().statusCode(404).body("title", equalTo("Space not found"));
    }

    @Test
    void theConsoleIsServedAtTheRootWithItsVendoredLibrary() {
        given().get("/").then().statusCode(200).contentType(ContentType.HTML)
                .body(org.hamcrest.Matchers.containsString("/console/app.js"));
        given().get("/console/map-worker.js").then().statusCode(200);
        given().get("/vendor/umap-js-1.4.0/umap-js.min.js").then().statusCode(200);
    }

    private static String spaceId() {
        return TestDb.text("SELECT id FROM spaces WHERE name = 'content'");
    }
}
