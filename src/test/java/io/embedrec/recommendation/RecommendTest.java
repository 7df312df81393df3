package io.embedrec.recommendation;

import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class RecommendTest {

    static final String PROBLEM = "application/problem+json";

    @jakarta.inject.Inject
    RecommendationLog log;

    @BeforeEach
    void topicCatalog() {
        Catalogs.freshTopics();
    }

    static JsonPath recommend(Object body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/recommend").then().statusCode(200)
                .extract().jsonPath();
    }

    static List<String> ids(JsonPath r) {
        return r.getList("items.id", String.class);
    }

    @Test
    void aBootAsPositiveExampleBringsTheOtherHikingItemsFirstButNeverItself() {
        JsonPath r = recommend(Map.of("positive", List.of("boot-1"), "k", 11));
        assertThat(ids(r).subList(0, 3)).containsExactlyInAnyOrder("boot-2", "boot-3", "boot-4");
        assertThat(ids(r)).hasSize(11).doesNotContain("boot-1");
        assertThat(r.getString("strategy")).isEqualTo("average");
        assertThat(r.getString("space")).isEqualTo("content");
        assertThat(r.getString("recommendation_id")).hasSize(36);
        assertThat(r.getMap("items[0].reason")).containsEntry("type", "similar_to_example");
        assertThat(r.getString("items[0].reason.because[0].id")).isEqualTo("boot-1");
        assertThat(r.getString("items[0].reason.because[0].title")).isEqualTo("Waterproof leather hiking boots");
        List<Float> scores = r.getList("items.score", Float.class);
        List<Float> sorted = new ArrayList<>(scores);
        sorted.sort(Collections.reverseOrder());
        assertThat(scores).isEqualTo(sorted);
        log.flush();
        assertThat(TestDb.text("SELECT strategy || ' ' || subject FROM recommendations"))
                .isEqualTo("recommend:average +boot-1");
    }

    @Test
    void aNegativeExamplePushesItsNeighboursDown() {
        List<String> plain = ids(recommend(Map.of("positive", List.of("esp-1"), "k", 10)));
        List<String> pushed = ids(recommend(Map.of("positive", List.of("esp-1"), "negative", List.of("esp-2"),
                "k", 10)));
        assertThat(pushed).doesNotContain("esp-1", "esp-2");
        assertThat(pushed.subList(0, 2)).containsExactlyInAnyOrder("esp-3", "esp-4");
        assertThat(plain.subList(0, 3)).containsExactlyInAnyOrder("esp-2", "esp-3", "esp-4");
    }

    @Test
    void aTextExampleWorksLikeAnItem() {
        JsonPath r = recommend(Map.of("positive", List.of(Map.of("text", "bedtime story")), "k", 4));
        assertThat(ids(r)).containsExactlyInAnyOrder("book-1", "book-2", "book-3", "book-4");
        assertThat(r.getMap("items[0].reason.because[0]")).containsOnlyKeys("title", "similarity")
                .containsEntry("title", "bedtime story");
    }

    @Test
    void bestScoreRanksItemsNearerANegativeBelowZero() {
        JsonPath r = recommend(Map.of("positive", List.of("boot-1"), "negative", List.of("esp-1"),
                "strategy", "best_score", "k", 10));
        assertThat(r.getString("strategy")).isEqualTo("best_score");
        assertThat(ids(r).subList(0, 3)).containsExactlyInAnyOrder("boot-2", "boot-3", "boot-4");
        assertThat(ids(r)).doesNotContain("boot-1", "esp-1");
        List<Float> scores = r.getList("items.score", Float.class);
        for (int i = 0; i < ids(r).size(); i++) {
            if (ids(r).get(i).startsWith("esp-")) {
                assertThat(scores.get(i)).as(ids(r).get(i)).isNegative();
            }
        }
    }

    @Test
    void onlyNegativeExamplesRecommendItemsAwayFromThem() {
        List<String> away = ids(recommend(Map.of("negative", List.of("esp-1", "esp-2"), "k", 4)));
        assertThat(away).noneMatch(id -> id.startsWith("esp-"));
    }

    @Test
    void filtersAndExcludeApply() {
        JsonPath r = recommend(Map.of("positive", List.of("boot-1"), "k", 3,
                "filters", Map.of("categories", List.of("books")), "exclude", List.of("book-2")));
        assertThat(ids(r)).hasSize(3).allMatch(id -> id.startsWith("book-")).doesNotContain("book-2");
    }

    @Test
    void unknownItemsAre404AndItemsWithoutAVectorAre409() {
        given().contentType(ContentType.JSON).body(Map.of("positive", List.of("nope"))).post("/v1/recommend")
                .then().statusCode(404).contentType(PROBLEM).body("detail", equalTo("no item with id 'nope'"));
        String table = "item_vectors_" + TestDb.count("SELECT id FROM spaces WHERE name = 'content'");
        TestDb.exec("DELETE FROM " + table + " WHERE item_pk = (SELECT pk FROM items WHERE external_id = 'esp-4')");
        given().contentType(ContentType.JSON).body(Map.of("negative", List.of("esp-4"))).post("/v1/recommend")
                .then().statusCode(409).contentType(PROBLEM).body("detail", equalTo("item 'esp-4' has no vector "
                        + "in space 'content' yet; see its vector status with GET /v1/items/esp-4"));
    }

    static void bad(Object body, String detail) {
        given().contentType(ContentType.JSON).body(body).post("/v1/recommend").then().statusCode(400)
                .contentType(PROBLEM).body("detail", equalTo(detail));
    }

    @Test
    void badInputIsNamedExactly() {
        bad(Map.of(), "give at least one positive or negative example");
        bad(Map.of("positive", List.of(), "negative", List.of()), "give at least one positive or negative example");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            many.add("boot-1");
        }
        bad(Map.of("positive", many), "at most 64 examples in all (got 65)");
        bad(Map.of("positive", List.of("boot-1", "boot-2", 7)),
                "positive[2] must be an item id or {\"text\": \"...\"}");
        bad(Map.of("positive", List.of("boot-1"), "negative", List.of(Map.of("title", "x"))),
                "negative[0] must be an item id or {\"text\": \"...\"}");
        bad(Map.of("positive", List.of(Map.of("text", " "))), "positive[0].text must not be blank");
        bad(Map.of("positive", List.of("boot-1"), "strategy", "median"),
                "strategy must be 'average' or 'best_score' (got 'median')");
        bad(Map.of("positive", List.of("boot-1"), "k", 0), "k must be between 1 and 1000 (got 0)");
        bad(Map.of("positive", List.of("boot-1"), "k", 1001), "k must be between 1 and 1000 (got 1001)");
        given().contentType(ContentType.JSON).body(Map.of("positive", List.of(3), "strategy", "x"))
                .post("/v1/recommend").then().statusCode(400).body("detail", equalTo("2 fields are invalid: see 'errors'"))
                .body("errors.field", equalTo(List.of("positive[0]", "strategy")));
        given().contentType(ContentType.JSON).body("{\"positive\": \"boot-1\"}").post("/v1/recommend").then()
                .statusCode(400).contentType(PROBLEM);
    }
}
