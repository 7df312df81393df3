package io.embedrec.recommendation;

import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** A burst trends; a steady seller and a single view do not; trending boosts through the rules. */
@QuarkusTest
class TrendingTest {

    @BeforeEach
    void history() {
        TestDb.exec("TRUNCATE items, users CASCADE", "TRUNCATE recommendations", "TRUNCATE rule_sets, rule_set_default");
        Catalogs.putTopics();
        Catalogs.awaitVectors("content", 12);
        Instant now = Instant.now();
        List<Map<String, Object>> events = new ArrayList<>();
        // book-2: five purchases in the last hour; boot-3: one purchase a day for 30 days; book-1: one view today
        for (int u = 0; u < 5; u++) {
            events.add(Map.of("id", "b" + u, "user", "burst-" + u, "item", "book-2", "type", "purchase",
                    "timestamp", now.minus(10L * u + 1, ChronoUnit.MINUTES).toString()));
        }
        for (int d = 0; d < 30; d++) {
            events.add(Map.of("id", "s" + d, "user", "steady-" + d, "item", "boot-3", "type", "purchase",
                    "timestamp", now.minus(d * 24L + 1, ChronoUnit.HOURS).toString()));
        }
        events.add(Map.of("id", "v", "user", "viewer", "item", "book-1", "type", "view",
                "timestamp", now.minus(5, ChronoUnit.MINUTES).toString()));
        given().contentType(ContentType.JSON).body(events).post("/v1/events").then().statusCode(200)
                .body("rejected", equalTo(0));
    }

    @Test
    void aBurstTrendsAndASteadySellerDoesNot() {
        JsonPath r = given().get("/v1/trending").then().statusCode(200).extract().jsonPath();
        List<String> ids = r.getList("items.id", String.class);
        assertThat(ids).first().isEqualTo("book-2");
        assertThat(ids).doesNotContain("book-1"); // one view: below the recent weight an item needs
        assertThat(r.getDouble("items[0].score")).isGreaterThan(10);
        // one purchase a day for a month: what its baseline predicts (about 1.3 standard deviations, under 2)
        assertThat(r.getDouble("items[" + ids.indexOf("boot-3") + "].score")).isBetween(0.5, 2.0);
        assertThat(given().queryParam("category", "hiking").get("/v1/trending").then().statusCode(200).extract()
                .jsonPath().getList("items.id", String.class)).containsExactly("boot-3");
    }

    @Test
    void aTrendingBoostLiftsTrendingItemsOnOtherPaths() {
        List<String> plain = given().queryParam("k", 11).get("/v1/items/esp-1/similar").then().statusCode(200)
                .extract().jsonPath().getList("items.id", String.class);
        assertThat(plain.indexOf("book-2")).isGreaterThan(2);
        given().contentType(ContentType.JSON).body(Map.of("rules", List.of(Map.of("name", "hot", "effect", "boost",
                "by", 1, "when", Map.of("trending", true))))).put("/v1/rules/hot").then().statusCode(201);
        JsonPath boosted = given().queryParam("k", 11).queryParam("rules", "hot").get("/v1/items/esp-1/similar")
                .then().statusCode(200).extract().jsonPath();
        assertThat(boosted.getString("items[0].id")).isEqualTo("book-2");
        assertThat(boosted.getList("items[0].rules")).isEqualTo(List.of(Map.of("rule", "hot", "effect", "+1")));
        // the steady seller is not trending: not moved
        List<Map<String, Object>> items = boosted.getList("items");
        assertThat(items.stream().filter(i -> i.get("id").equals("boot-3")).findFirst().orElseThrow())
                .doesNotContainKey("rules");
    }
}
