package io.embedrec.recommendation;

import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Business rules on every path: exact outcomes on the topic catalog (3 topics of 4 items). */
@QuarkusTest
class RulesTest {

    static final String PROBLEM = "application/problem+json";

    static boolean loaded;

    @BeforeEach
    void topicCatalog() {
        TestDb.exec("TRUNCATE rule_sets, rule_set_default");
        if (!loaded) {
            loaded = true;
            TestDb.exec("TRUNCATE items, users CASCADE", "TRUNCATE recommendations");
            Catalogs.putTopics();
            Catalogs.awaitVectors("content", 12);
            FeedTest.events("e1", "u1", "esp-1", "purchase", "e2", "u1", "esp-2", "view");
        }
    }

    static void save(String name, Object rules, Object... more) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("rules", rules));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        given().contentType(ContentType.JSON).body(body).put("/v1/rules/" + name).then().statusCode(
                org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)));
    }

    /** Each path's answer (items) for the topic catalog under a rule set named by {@code rules}. */
    static Map<String, JsonPath> everyPath(String rules, int k) {
        return Map.of(
                "similar", given().queryParam("k", k).queryParam("rules", rules).get("/v1/items/boot-1/similar")
                        .then().statusCode(200).extract().jsonPath(),
                "blend", given().queryParam("k", k).queryParam("rules", rules).queryParam("mode", "blend")
                        .get("/v1/items/boot-1/similar").then().statusCode(200).extract().jsonPath(),
                "feed", given().queryParam("k", k).queryParam("rules", rules).get("/v1/users/u1/recommendations")
                        .then().statusCode(200).extract().jsonPath(),
                "popular", given().queryParam("k", k).queryParam("rules", rules)
                        .get("/v1/users/nobody/recommendations").then().statusCode(200).extract().jsonPath(),
                "recommend", given().contentType(ContentType.JSON).body(Map.of("positive", List.of("boot-1"), "k", k,
                        "rules", rules)).post("/v1/recommend").then().statusCode(200).extract().jsonPath(),
                "search", given().contentType(ContentType.JSON).body(Map.of("query", "hiking boots", "k", k,
                        "mode", "semantic", "rules", rules)).post("/v1/search").then().statusCode(200)
                        .extract().jsonPath(),
                "hybrid search", given().contentType(ContentType.JSON).body(Map.of("query", "hiking boots", "k", k,
                        "rules", rules)).post("/v1/search").then().statusCode(200).extract().jsonPath());
    }

    @Test
    void aPinnedItemLandsAtItsPositionOnEveryPath() {
        save("promo", List.of(Map.of("name", "pin-alphabet", "effect", "pin", "items", List.of("book-3"),
                "position", 2)));
        everyPath("promo", 4).forEach((path, r) -> {
            assertThat(r.getList("items.id", String.class)).as(path).hasSize(4).element(1).isEqualTo("book-3");
            assertThat(r.getList("items.id", String.class)).as(path).containsOnlyOnce("book-3");
        });
        JsonPath feed = everyPath("promo", 4).get("feed");
        assertThat(feed.getList("items[1].reason.rules")).isEqualTo(List.of(Map.of("rule", "pin-alphabet",
                "effect", "pinned at 2")));
        JsonPath similar = everyPath("promo", 4).get("similar");
        assertThat(similar.getList("items[1].rules")).isEqualTo(List.of(Map.of("rule", "pin-alphabet",
                "effect", "pinned at 2")));
        // a pinned item must pass the request's filters: not a coffee item, so not pinned
        assertThat(given().queryParam("k", 3).queryParam("rules", "promo").queryParam("category", "coffee")
                .get("/v1/items/boot-1/similar").then().statusCode(200).extract().jsonPath()
                .getList("items.id", String.class)).doesNotContain("book-3").hasSize(3);
    }

    @Test
    void aBuryMovesMatchingItemsBelowEveryOtherItem() {
        Map<String, JsonPath> plain = everyPath("none", 11);
        assertThat(plain.get("similar").getList("items.id", String.class).subList(0, 3))
                .containsExactlyInAnyOrder("boot-2", "boot-3", "boot-4");
        save("no-hiking", List.of(Map.of("name", "bury-hiking", "effect", "bury", "by", 1,
                "when", Map.of("categories", List.of("hiking")))));
        everyPath("no-hiking", 11).forEach((path, r) -> {
            List<String> ids = r.getList("items.id", String.class);
            List<String> cats = r.<List<String>>getList("items.categories").stream().map(c -> c.get(0)).toList();
            // scaled to 0–1 and less 1, every hiking item falls below every other item
            assertThat(cats).as(path + ": " + ids).isSortedAccordingTo(java.util.Comparator.comparing(
                    (String c) -> c.equals("hiking")));
            assertThat(cats).as(path).contains("hiking");
        });
        List<Map<String, Object>> similar = everyPath("no-hiking", 11).get("similar").getList("items");
        assertThat(similar.get(10).get("rules")).isEqualTo(List.of(Map.of("rule", "bury-hiking", "effect", "-1")));
        assertThat(similar.get(0)).doesNotContainKey("rules");
    }

    @Test
    void aBoostLiftsMatchingItemsToTheTop() {
        save("books-first", List.of(Map.of("name", "boost-books", "effect", "boost", "by", 1,
                "when", Map.of("attributes", Map.of("brand", "acme"), "categories", List.of("books")))));
        // prices 10, 15, ... in TOPICS order; acme where price % 20 == 0: exactly the books with such prices
        List<String> acmeBooks = TestDb.textList("SELECT external_id FROM items WHERE 'books' = ANY(categories) "
                + "AND attributes->>'brand' = 'acme' ORDER BY 1");
        assertThat(acmeBooks).isNotEmpty();
        List<String> similar = everyPath("books-first", 11).get("similar").getList("items.id", String.class);
        assertThat(similar.subList(0, acmeBooks.size())).containsExactlyInAnyOrderElementsOf(acmeBooks);
    }

    @Test
    void aFilterRuleKeepsOnlyMatchingItemsAndStillReturnsK() {
        save("books-only", List.of(Map.of("name", "only-books", "effect", "filter",
                "when", Map.of("categories", List.of("books")))));
        everyPath("books-only", 4).forEach((path, r) -> assertThat(r.getList("items.id", String.class)).as(path)
                .containsExactlyInAnyOrder("book-1", "book-2", "book-3", "book-4"));
    }

    @Test
    void notSeenWithinDaysDropsWhatTheUserSawRecently() {
        List<String> withSeen = given().queryParam("k", 12).queryParam("exclude_seen", false)
                .get("/v1/users/u1/recommendations").then().statusCode(200).extract().jsonPath()
                .getList("items.id", String.class);
        assertThat(withSeen).contains("esp-1", "esp-2");
        List<Map<String, Object>> rules = List.of(Map.of("name", "fresh", "effect", "filter",
                "when", Map.of("not_seen_within_days", 30)));
        save("fresh", rules);
        assertThat(given().queryParam("k", 12).queryParam("exclude_seen", false).queryParam("rules", "fresh")
                .get("/v1/users/u1/recommendations").then().statusCode(200).extract().jsonPath()
                .getList("items.id", String.class)).hasSize(10).doesNotContain("esp-1", "esp-2");
    }

    @Test
    void savedSetsAreVersionedAndTheDefaultAppliesUnlessARequestSaysNone() {
        given().contentType(ContentType.JSON).body(Map.of("rules", List.of(Map.of("name", "pin", "effect", "pin",
                        "items", List.of("book-1"), "position", 1))))
                .put("/v1/rules/home").then().statusCode(201).body("version", equalTo(1))
                .body("is_default", equalTo(false));
        given().contentType(ContentType.JSON).body(Map.of("rules", List.of(Map.of("name", "pin", "effect", "pin",
                        "items", List.of("book-2"), "position", 1)), "default", true))
                .put("/v1/rules/home").then().statusCode(200).body("version", equalTo(2))
                .body("is_default", equalTo(true));
        given().queryParam("version", 1).get("/v1/rules/home").then().statusCode(200)
                .body("rules[0].items[0]", equalTo("book-1"));
        given().get("/v1/rules/home/versions").then().statusCode(200).body("items.version", equalTo(List.of(2, 1)));
        given().get("/v1/rules").then().statusCode(200).body("items.name", equalTo(List.of("home")));
        // the default applies when a request names no set; "none" turns rules off
        assertThat(given().queryParam("k", 3).get("/v1/items/boot-1/similar").then().statusCode(200)
                .extract().jsonPath().getString("items[0].id")).isEqualTo("book-2");
        assertThat(given().queryParam("k", 3).queryParam("rules", "none").get("/v1/items/boot-1/similar").then()
                .statusCode(200).extract().jsonPath().getList("items.id", String.class)).doesNotContain("book-2");
        given().delete("/v1/rules/home").then().statusCode(204);
        given().get("/v1/rules/home").then().statusCode(404).contentType(PROBLEM)
                .body("detail", equalTo("no rule set is named 'home'"));
        assertThat(given().queryParam("k", 3).get("/v1/items/boot-1/similar").then().statusCode(200)
                .extract().jsonPath().getList("items.id", String.class)).doesNotContain("book-2");
    }

    @Test
    void aSetWrittenBehindTheServicesBackIsServedWithinSeconds() {
        given().queryParam("rules", "elsewhere").get("/v1/items/boot-1/similar").then().statusCode(400);
        // another instance (or psql) writes the table: the trigger's notification reaches this instance's cache
        TestDb.exec("INSERT INTO rule_sets (name, version, rules) VALUES ('elsewhere', 1, '[{\"name\": \"p\", "
                + "\"effect\": \"pin\", \"items\": [\"book-4\"], \"position\": 1}]')");
        long deadline = System.nanoTime() + 2_000_000_000L;
        int status;
        do {
            Catalogs.sleep(50);
            status = given().queryParam("rules", "elsewhere").get("/v1/items/boot-1/similar").statusCode();
        } while (status != 200 && System.nanoTime() < deadline);
        assertThat(given().queryParam("rules", "elsewhere").queryParam("k", 2).get("/v1/items/boot-1/similar")
                .then().statusCode(200).extract().jsonPath().getString("items[0].id")).isEqualTo("book-4");
    }

    @Test
    void badRulesAreRefusedNamingTheField() {
        given().contentType(ContentType.JSON).body(Map.of("rules", List.of(Map.of("name", "x", "effect", "promote"))))
                .put("/v1/rules/bad").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("'rules[0].effect' must be 'filter', 'boost', 'bury' or 'pin'"))
                .body("errors[0].field", equalTo("rules[0].effect"));
        given().contentType(ContentType.JSON).body(Map.of("query", "boots", "rules", List.of(Map.of("name", "up",
                        "effect", "boost", "by", 2, "when", Map.of("categories", List.of("books"))))))
                .post("/v1/search").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("'rules[0].by' must be above 0 and at most 1"));
        given().contentType(ContentType.JSON).body(Map.of("rules", List.of(Map.of("name", "b", "effect", "boost",
                        "factor", 2, "when", Map.of("ranges", Map.of("price", Map.of("min", 50, "max", 10)))))))
                .put("/v1/rules/bad").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("rules[0].when.ranges.price"))
                .body("errors[0].message", equalTo("min (50) is greater than max (10)"));
        given().contentType(ContentType.JSON).body(Map.of("rules", List.of(Map.of("name", "p", "effect", "pin",
                        "items", List.of("book-1")))))
                .put("/v1/rules/bad").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("'rules[0].position' must be between 1 and 1000"));
        given().queryParam("rules", "missing").get("/v1/items/boot-1/similar").then().statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", equalTo("rules"))
                .body("detail", equalTo("rules: no rule set is named 'missing'; see GET /v1/rules"));
        given().contentType(ContentType.JSON).body(Map.of("rules", List.of())).put("/v1/rules/none")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("name"));
        given().get("/v1/rules/bad").then().statusCode(404);
    }
}
