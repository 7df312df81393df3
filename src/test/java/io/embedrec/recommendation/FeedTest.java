package io.embedrec.recommendation;

import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class FeedTest {

    @BeforeEach
    void topicCatalog() {
        TestDb.exec("TRUNCATE items, users CASCADE", "TRUNCATE recommendations");
        Catalogs.putTopics();
        Catalogs.awaitVectors("content", 12);
    }

    static void events(Object... triples) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int k = 0; k < triples.length; k += 4) {
            list.add(Map.of("id", triples[k], "user", triples[k + 1], "item", triples[k + 2], "type", triples[k + 3]));
        }
        given().contentType(ContentType.JSON).body(list).post("/v1/events").then().statusCode(200)
                .body("rejected", equalTo(0));
    }

    static List<String> feed(String user, int k, String... extra) {
        var req = given().queryParam("k", k);
        for (int i = 0; i < extra.length; i += 2) {
            req = req.queryParam(extra[i], extra[i + 1]);
        }
        return req.get("/v1/users/" + user + "/recommendations").then().statusCode(200).extract().jsonPath()
                .getList("items.id", String.class);
    }

    @Test
    void userWhoBoughtTwoBootsGetsHikingItemsFirstButNeverTheBootsTheyBought() {
        events("e1", "u1", "boot-1", "purchase", "e2", "u1", "boot-2", "purchase");
        given().queryParam("k", 2).get("/v1/users/u1/recommendations").then().statusCode(200)
                .body("strategy", equalTo("personal"));
        assertThat(feed("u1", 2)).containsExactlyInAnyOrder("boot-3", "boot-4");
        assertThat(feed("u1", 10)).doesNotContain("boot-1", "boot-2");
        assertThat(feed("u1", 4, "exclude_seen", "false")).contains("boot-1", "boot-2");
    }

    @Test
    void afterADislikeOfATopicThatTopicFalls() {
        events("e1", "u2", "esp-1", "like", "e2", "u2", "book-1", "like");
        List<String> before = feed("u2", 10);
        events("e3", "u2", "esp-2", "dislike");
        List<String> after = feed("u2", 10);
        double coffeeBefore = meanRank(before, "esp-");
        double coffeeAfter = meanRank(after, "esp-");
        assertThat(coffeeAfter).isGreaterThan(coffeeBefore);
        assertThat(after.subList(0, 3)).allMatch(id -> id.startsWith("book-"));
    }

    static double meanRank(List<String> ids, String prefix) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i).startsWith(prefix)) {
                sum += i;
                n++;
            }
        }
        return n == 0 ? Double.MAX_VALUE : sum / n;
    }

    @Test
    void coldUserGetsPopularItems() {
        events("e1", "a", "esp-3", "purchase", "e2", "b", "esp-3", "view", "e3", "c", "book-2", "click");
        var r = given().queryParam("k", 2).get("/v1/users/nobody/recommendations").then().statusCode(200)
                .body("strategy", equalTo("popular")).extract().jsonPath();
        assertThat(r.getList("items.id", String.class)).containsExactly("esp-3", "book-2");
        assertThat(r.getList("items.reason.type", String.class)).containsExactly("popular", "popular");
        given().get("/v1/users/nobody").then().statusCode(404);
    }

    @Test
    void coldUserOnASmallCatalogGetsKItemsPopularFirstThenTheNewest() {
        events("e1", "a", "esp-3", "purchase", "e2", "b", "book-2", "view");
        var r = given().queryParam("k", 10).get("/v1/users/nobody/recommendations").then().statusCode(200)
                .body("strategy", equalTo("popular")).extract().jsonPath();
        List<String> ids = r.getList("items.id", String.class);
        assertThat(ids).hasSize(10).doesNotHaveDuplicates();
        assertThat(ids.subList(0, 2)).containsExactly("esp-3", "book-2");
        assertThat(r.getList("items.reason.type", String.class)).containsExactly("popular", "popular", "new", "new",
                "new", "new", "new", "new", "new", "new");
        assertThat(r.getList("items.score", Double.class).subList(2, 10)).containsOnly(0.0);
    }

    @Test
    void allNegativeHistoryGetsPopularItemsAwayFromDislikes() {
        events("e1", "a", "esp-3", "purchase", "e2", "a", "boot-3", "purchase", "e3", "b", "esp-4", "purchase",
                "e4", "neg", "esp-1", "dislike");
        var r = given().queryParam("k", 5).get("/v1/users/neg/recommendations").then().statusCode(200)
                .body("strategy", equalTo("popular_minus_disliked")).extract().jsonPath();
        assertThat(r.getList("items.id", String.class)).contains("boot-3").doesNotContain("esp-1", "esp-3", "esp-4");
    }

    @Test
    void explainNamesTheHistoryItemsBehindEachRecommendation() {
        events("e1", "u3", "boot-1", "purchase", "e2", "u3", "book-1", "like");
        var r = given().queryParam("k", 3).queryParam("explain", true).get("/v1/users/u3/recommendations")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> items = r.getList("items");
        for (Map<String, Object> item : items) {
            @SuppressWarnings("unchecked")
            Map<String, Object> reason = (Map<String, Object>) item.get("reason");
            assertThat(reason.get("type")).isEqualTo("similar_to_history");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> because = (List<Map<String, Object>>) reason.get("because");
            String expected = ((String) item.get("id")).startsWith("boot-") ? "boot-1" : "book-1";
            assertThat(because.get(0)).containsEntry("id", expected)
                    .containsEntry("event_type", expected.equals("boot-1") ? "purchase" : "like");
        }
    }

    @Test
    void diversitySpreadsTheFeedAcrossTopics() {
        events("e1", "u4", "esp-1", "like");
        List<String> focused = feed("u4", 3);
        List<String> diverse = feed("u4", 3, "diversity", "0.9");
        assertThat(focused).containsExactlyInAnyOrder("esp-2", "esp-3", "esp-4");
        assertThat(diverse.stream().map(id -> id.substring(0, 3)).distinct().count()).isGreaterThan(1);
        given().queryParam("diversity", 2).get("/v1/users/u4/recommendations").then().statusCode(400)
                .body("detail", equalTo("diversity must be between 0 and 1 (got 2.0)"));
    }
}
