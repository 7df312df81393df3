package io.embedrec.interaction;

import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.embedrec.recommendation.RecommendationLog;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.embedrec.support.UserVectors.event;
import static io.embedrec.support.UserVectors.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class UsersTest {

    @Inject
    RecommendationLog log;

    static final String PROBLEM = "application/problem+json";

    @BeforeEach
    void topicCatalog() {
        Catalogs.freshTopics();
    }

    @Test
    void usersArePagedByIdWithTheirEventCountsAndSpan() {
        post(List.of(event("e1", "bob", "boot-1", "view", null, "2026-03-01T10:00:00Z"),
                event("e2", "alice", "esp-1", "like", null, "2026-02-01T09:00:00Z"),
                event("e3", "alice", "esp-2", "view", null, "2026-02-03T09:00:00Z"),
                event("e4", "carol", "book-1", "purchase", null, "2026-01-05T00:00:00Z")));
        var first = given().queryParam("limit", 2).get("/v1/users").then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("items", Map.class)).containsExactly(
                Map.of("id", "alice", "events", 2, "first_event", "2026-02-01T09:00:00Z",
                        "last_event", "2026-02-03T09:00:00Z"),
                Map.of("id", "bob", "events", 1, "first_event", "2026-03-01T10:00:00Z",
                        "last_event", "2026-03-01T10:00:00Z"));
        String next = first.getString("next");
        assertThat(next).isNotNull();
        given().queryParam("limit", 2).queryParam("cursor", next).get("/v1/users").then().statusCode(200)
                .body("items.id", equalTo(List.of("carol"))).body("next", nullValue());
        given().queryParam("limit", 0).get("/v1/users").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("limit must be between 1 and 1000 (got 0)"));
        given().queryParam("cursor", "%%%").get("/v1/users").then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void profileCountsEventsByTypeAndNamesTheTopCategoriesOfPositiveEvents() {
        post(List.of(event("p1", "u1", "boot-1", "purchase", null, "2026-01-01T00:00:00Z"),
                event("p2", "u1", "boot-2", "view", null, "2026-01-02T00:00:00Z"),
                event("p3", "u1", "book-1", "like", null, "2026-01-03T00:00:00Z"),
                event("p4", "u1", "esp-1", "dislike", null, "2026-01-04T00:00:00Z"),
                event("p5", "u1", "esp-2", "dislike", null, "2026-01-05T00:00:00Z"),
                event("p6", "u1", "boot-3", "view", null, "2026-01-06T00:00:00Z")));
        var p = given().get("/v1/users/u1").then().statusCode(200).extract().jsonPath();
        assertThat(p.getString("id")).isEqualTo("u1");
        assertThat(p.getMap("events")).containsExactly(Map.entry("dislike", 2), Map.entry("like", 1),
                Map.entry("purchase", 1), Map.entry("view", 2));
        assertThat(p.getInt("total_events")).isEqualTo(6);
        assertThat(p.getString("first_event")).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(p.getString("last_event")).isEqualTo("2026-01-06T00:00:00Z");
        // the two coffee dislikes do not make coffee a top category
        assertThat(p.getList("top_categories", Map.class)).containsExactly(
                Map.of("category", "hiking", "count", 3), Map.of("category", "books", "count", 1));
        assertThat(p.getString("created_at")).isNotNull();
    }

    @Test
    void unknownUsersAre404ButStillGetAColdStartFeed() {
        for (String path : List.of("/v1/users/nobody", "/v1/users/nobody/events")) {
            given().get(path).then().statusCode(404).contentType(PROBLEM)
                    .body("detail", equalTo("no user with id 'nobody'")).body("title", equalTo("User not found"));
        }
        given().delete("/v1/users/nobody").then().statusCode(404).contentType(PROBLEM)
                .body("detail", equalTo("no user with id 'nobody'"));
        given().get("/v1/users/nobody/recommendations").then().statusCode(200)
                .body("strategy", equalTo("popular"));
    }

    @Test
    void eventsComeNewestFirstAPageAtATime() {
        String rec = given().queryParam("k", 1).get("/v1/users/h/recommendations").then().statusCode(200)
                .extract().path("recommendation_id");
        post(List.of(event("h1", "h", "boot-1", "view", null, "2026-01-01T00:00:00Z"),
                event("h2", "h", "book-1", "rating", 4.0, "2026-01-03T00:00:00Z"),
                event("h3", "h", "esp-1", "click", null, "2026-01-02T00:00:00Z")));
        given().contentType("application/json").body(List.of(Map.of("id", "h4", "user", "h", "item", "esp-2",
                        "type", "click", "timestamp", "2026-01-02T00:00:00Z", "recommendation_id", rec)))
                .post("/v1/events").then().statusCode(200).body("accepted", equalTo(1));
        var first = given().queryParam("limit", 3).get("/v1/users/h/events").then().statusCode(200)
                .extract().jsonPath();
        assertThat(first.getList("items", Map.class)).containsExactly(
                Map.of("id", "h2", "item", "book-1", "title", "Picture book about a sleepy bear", "type", "rating",
                        "value", 4.0f, "weight", 2.5f, "timestamp", "2026-01-03T00:00:00Z"),
                Map.of("id", "h4", "item", "esp-2", "title", "Compact pump espresso maker", "type", "click",
                        "weight", 2.0f, "timestamp", "2026-01-02T00:00:00Z", "recommendation_id", rec),
                Map.of("id", "h3", "item", "esp-1", "title", "Espresso machine with milk frother", "type",
                        "click", "weight", 2.0f, "timestamp", "2026-01-02T00:00:00Z"));
        given().queryParam("limit", 3).queryParam("cursor", first.getString("next")).get("/v1/users/h/events")
                .then().statusCode(200).body("items.id", equalTo(List.of("h1"))).body("next", nullValue());
        given().queryParam("cursor", "bm9wZQ").get("/v1/users/h/events").then().statusCode(400)
                .contentType(PROBLEM).body("detail", equalTo("cursor is not a cursor this API issued; pass the "
                        + "'next' value of the previous page unchanged"));
    }

    @Test
    void deletingAUserErasesTheirEventsAndVectorsAndTheirFeedTurnsCold() {
        post(List.of(event("d1", "gone", "boot-1", "purchase", null, null),
                event("d2", "gone", "boot-2", "like", null, null),
                event("d3", "stays", "esp-1", "like", null, null)));
        given().get("/v1/users/gone/recommendations").then().statusCode(200).body("strategy", equalTo("personal"));
        log.flush();
        assertThat(TestDb.count("SELECT count(*) FROM recommendations WHERE subject = 'gone'")).isEqualTo(1);
        // and one still queued when the user goes
        given().get("/v1/users/gone/recommendations").then().statusCode(200);
        given().delete("/v1/users/gone").then().statusCode(204);
        log.flush();
        given().get("/v1/users/gone").then().statusCode(404);
        assertThat(TestDb.count("SELECT count(*) FROM events")).isEqualTo(1);
        assertThat(TestDb.count("SELECT count(*) FROM user_vectors v JOIN users u ON u.pk = v.user_pk "
                + "WHERE u.external_id = 'stays'")).isEqualTo(1);
        assertThat(TestDb.count("SELECT count(*) FROM user_vectors")).isEqualTo(1);
        assertThat(TestDb.count("SELECT count(*) FROM recommendations WHERE subject = 'gone'")).isZero();
        given().get("/v1/users/gone/recommendations").then().statusCode(200).body("strategy", equalTo("popular"));
        given().get("/v1/users").then().statusCode(200).body("items.id", equalTo(List.of("stays")));
    }
}
