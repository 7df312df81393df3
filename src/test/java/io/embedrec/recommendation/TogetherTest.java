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

/** Bought-together recovers planted baskets, ranks by lift and says why when there is too little data. */
@QuarkusTest
class TogetherTest {

    static final Instant T0 = Instant.now().minus(60, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void plantedBaskets() {
        TestDb.exec("TRUNCATE items, users CASCADE", "TRUNCATE recommendations", "TRUNCATE rule_sets, rule_set_default");
        Catalogs.putTopics();
        List<Map<String, Object>> events = new ArrayList<>();
        // b1..b6 buy a boot and an espresso machine the same hour; b1..b3 also the alphabet book; b6 buys the machine
        // a month later (outside the 7-day window); u7 buys the boot and a dragon book (one user: below support 2);
        // c1..c4 buy the machine alone; v1 only views the boot (not a positive type here)
        for (int u = 1; u <= 6; u++) {
            events.add(event("b" + u, "boot-1", "purchase", 0));
            events.add(event("b" + u, "esp-3", u == 6 ? "purchase" : "add_to_cart", u == 6 ? 30 * 24 * 60 : 30));
            if (u <= 3) {
                events.add(event("b" + u, "book-3", "purchase", 45));
            }
        }
        events.add(event("u7", "boot-1", "purchase", 0));
        events.add(event("u7", "book-4", "purchase", 10));
        for (int u = 1; u <= 4; u++) {
            events.add(event("c" + u, "esp-3", "purchase", 5));
        }
        events.add(event("v1", "boot-1", "view", 0));
        events.add(event("v1", "book-1", "view", 1));
        events.add(event("v1", "book-2", "view", 2));
        given().contentType(ContentType.JSON).body(events).post("/v1/events").then().statusCode(200)
                .body("rejected", equalTo(0));
    }

    static int seq;

    static Map<String, Object> event(String user, String item, String type, long minutes) {
        return Map.of("id", "t" + (++seq), "user", user, "item", item, "type", type,
                "timestamp", T0.plus(minutes, ChronoUnit.MINUTES).toString());
    }

    static JsonPath together(String item, Object... params) {
        var req = given();
        for (int i = 0; i < params.length; i += 2) {
            req = req.queryParam((String) params[i], params[i + 1]);
        }
        return req.get("/v1/items/" + item + "/together").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void plantedBasketsComeBackRankedByLift() {
        JsonPath r = together("boot-1");
        assertThat(r.getList("items.id", String.class)).containsExactly("book-3", "esp-3");
        assertThat(r.getList("items.support", Integer.class)).containsExactly(3, 5);
        // lift = support · users (12) / (boot buyers 7 · partner's positive users)
        assertThat(r.getList("items.score", Double.class)).containsExactly(
                Math.round(3.0 * 12 / (7 * 3) * 1e6) / 1e6, Math.round(5.0 * 12 / (7 * 10) * 1e6) / 1e6);
        assertThat(r.getString("reason")).isNull();
        // a lower support lets the single dragon-book basket in: its lift ties the alphabet book's (12/7), and the
        // pair more users had goes first
        assertThat(together("boot-1", "min_support", 1).getList("items.id", String.class))
                .containsExactly("book-3", "book-4", "esp-3");
        // views are not baskets unless asked for
        assertThat(together("boot-1", "types", "view", "min_support", 1).getList("items.id", String.class))
                .containsExactly("book-1", "book-2");
    }

    @Test
    void filtersAndAvailabilityApply() {
        assertThat(together("boot-1", "category", "coffee").getList("items.id", String.class))
                .containsExactly("esp-3");
        given().contentType("application/x-ndjson").body("{\"id\": \"book-3\", \"available\": false}\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).patch("/v1/items/availability")
                .then().statusCode(200).body("updated", equalTo(1));
        assertThat(together("boot-1").getList("items.id", String.class)).containsExactly("esp-3");
    }

    @Test
    void tooLittleDataAnswersAnEmptyListWithTheReason() {
        JsonPath none = together("book-1");
        assertThat(none.getList("items")).isEmpty();
        assertThat(none.getString("reason")).isEqualTo("too little data: 0 user(s) had purchase/add_to_cart events "
                + "on 'book-1'; a pair needs at least 2 (min_support)");
        JsonPath alone = together("esp-3", "category", "coffee");
        assertThat(alone.getList("items")).isEmpty();
        assertThat(alone.getString("reason")).isEqualTo("no item went together with 'esp-3' for at least 2 of its "
                + "10 users (purchase/add_to_cart events within 7d), among the items the filters allow");
        given().get("/v1/items/nope/together").then().statusCode(404).contentType("application/problem+json");
        given().queryParam("min_support", 0).get("/v1/items/boot-1/together").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("min_support"));
    }
}
