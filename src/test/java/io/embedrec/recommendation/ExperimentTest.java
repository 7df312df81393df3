package io.embedrec.recommendation;

import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** Experiments through the API: assignment on the feeds, attribution of events, the report, the lifecycle. */
@QuarkusTest
class ExperimentTest {

    static final String PROBLEM = "application/problem+json";

    @jakarta.inject.Inject
    RecommendationLog log;

    static boolean loaded;

    @BeforeEach
    void topicCatalog() {
        log.flush(); // answers queued by an earlier test must not land after the truncation
        TestDb.exec("TRUNCATE experiments", "TRUNCATE recommendations, answer_counts, answer_outcomes, experiment_users",
                "TRUNCATE rule_sets, rule_set_default");
        if (!loaded) {
            loaded = true;
            TestDb.exec("TRUNCATE items, users CASCADE");
            Catalogs.putTopics();
            Catalogs.awaitVectors("content", 12);
        }
    }

    static Map<String, Object> variant(String name, double share, Object... more) {
        Map<String, Object> v = new java.util.HashMap<>(Map.of("name", name, "share", share));
        for (int i = 0; i < more.length; i += 2) {
            v.put((String) more[i], more[i + 1]);
        }
        return v;
    }

    static void start(String name, List<Map<String, Object>> variants) {
        given().contentType(ContentType.JSON).body(Map.of("name", name, "salt", "fixed-salt", "variants", variants))
                .post("/v1/experiments").then().statusCode(201).body("status", equalTo("running"));
    }

    static JsonPath feed(String user) {
        return given().queryParam("k", 4).get("/v1/users/" + user + "/recommendations").then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void aVariantWhoseItemsAreClickedTwiceAsOftenIsAheadAndSignificant() {
        // B pins a book first: its feeds differ from A's, so the answers are told apart by their items as well
        given().contentType(ContentType.JSON).body(Map.of("rules", List.of(Map.of("name", "p", "effect", "pin",
                "items", List.of("book-1"), "position", 1)))).put("/v1/rules/b-rules").then().statusCode(201);
        start("ctr", List.of(variant("A", 0.5), variant("B", 0.5, "rules", "b-rules")));
        Random random = new Random(7);
        List<Map<String, Object>> clicks = new ArrayList<>();
        int[] served = new int[2];
        for (int u = 0; u < 800; u++) {
            JsonPath r = feed("sim-" + u);
            String variant = r.getString("variant");
            assertThat(r.getString("experiment")).isEqualTo("ctr");
            boolean b = variant.equals("B");
            served[b ? 1 : 0]++;
            assertThat(r.getString("items[0].id").equals("book-1")).isEqualTo(b);
            if (random.nextDouble() < (b ? 0.24 : 0.12)) {
                clicks.add(Map.of("id", "c" + u, "user", "sim-" + u, "item", r.getString("items[0].id"),
                        "type", "click", "recommendation_id", r.getString("recommendation_id")));
            }
        }
        // a user keeps their variant
        assertThat(feed("sim-1").getString("variant")).isEqualTo(feed("sim-1").getString("variant"));
        given().contentType(ContentType.JSON).body(clicks).post("/v1/events").then().statusCode(200)
                .body("rejected", equalTo(0));
        log.flush();
        JsonPath report = given().get("/v1/experiments/ctr/report").then().statusCode(200).extract().jsonPath();
        assertThat(report.getString("control")).isEqualTo("A");
        assertThat(report.getList("variants.name", String.class)).containsExactly("A", "B");
        // 800 users plus sim-1 asking twice more
        assertThat(report.getLong("variants[0].impressions") + report.getLong("variants[1].impressions"))
                .isEqualTo(802);
        assertThat(report.getLong("variants[0].users") + report.getLong("variants[1].users")).isEqualTo(800);
        assertThat(report.getLong("variants[0].clicks") + report.getLong("variants[1].clicks"))
                .isEqualTo(clicks.size());
        assertThat(report.getMap("variants[0]")).doesNotContainKey("ctr_vs_control");
        assertThat(report.getDouble("variants[1].ctr.value")).isGreaterThan(report.getDouble("variants[0].ctr.value"));
        assertThat(report.getBoolean("variants[1].ctr_vs_control.significant")).isTrue();
        assertThat(report.getDouble("variants[1].ctr_vs_control.low")).isGreaterThan(0);
        assertThat(report.getDouble("variants[1].ctr.low")).isLessThan(report.getDouble("variants[1].ctr.value"));
        // the share split: 800 users at 50/50 within 4 binomial standard deviations (57)
        assertThat(served[1]).isBetween(343, 457);
        // outside experiments too: click-through per strategy
        JsonPath strategies = given().get("/v1/strategies/report").then().statusCode(200).extract().jsonPath();
        assertThat(strategies.getList("strategies.name", String.class)).contains("feed:popular");
        int popular = strategies.getList("strategies.name", String.class).indexOf("feed:popular");
        assertThat(strategies.getLong("strategies[" + popular + "].impressions")).isEqualTo(802);
        assertThat(strategies.getLong("strategies[" + popular + "].clicks")).isEqualTo(clicks.size());
    }

    @Test
    void stopResumeAndConcludeControlWhoIsAssigned() {
        start("life", List.of(variant("A", 0.5), variant("B", 0.5, "strategy", "popular")));
        assertThat(feed("u-1").getString("experiment")).isEqualTo("life");
        given().contentType(ContentType.JSON).body(Map.of("name", "other", "variants", List.of(variant("A", 0.5),
                variant("B", 0.5)))).post("/v1/experiments").then().statusCode(409).contentType(PROBLEM)
                .body("detail", equalTo("experiment 'life' is running; stop or conclude it first (one experiment "
                        + "splits the feeds' users at a time)"));
        given().post("/v1/experiments/life/stop").then().statusCode(200).body("status", equalTo("stopped"));
        feed("u-1");
        given().get("/v1/users/u-1/recommendations").then().statusCode(200).body("experiment", nullValue());
        given().post("/v1/experiments/life/resume").then().statusCode(200).body("status", equalTo("running"));
        assertThat(feed("u-1").getString("experiment")).isEqualTo("life");
        given().contentType(ContentType.JSON).body(Map.of("winner", "C")).post("/v1/experiments/life/conclude")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("winner"));
        given().contentType(ContentType.JSON).body(Map.of("winner", "B")).post("/v1/experiments/life/conclude")
                .then().statusCode(200).body("status", equalTo("concluded")).body("winner", equalTo("B"));
        given().post("/v1/experiments/life/resume").then().statusCode(409);
        given().get("/v1/users/u-1/recommendations").then().statusCode(200).body("experiment", nullValue());
        given().get("/v1/experiments/nope").then().statusCode(404).contentType(PROBLEM)
                .body("detail", equalTo("no experiment is named 'nope'"));
        // a deleted experiment's name starts again from nothing
        log.flush();
        assertThat(given().get("/v1/experiments/life/report").then().statusCode(200).extract().jsonPath()
                .getLong("variants[0].impressions") + given().get("/v1/experiments/life/report").then().extract()
                .jsonPath().getLong("variants[1].impressions")).isEqualTo(2);
        given().delete("/v1/experiments/life").then().statusCode(204);
        start("life", List.of(variant("A", 0.5), variant("B", 0.5)));
        given().get("/v1/experiments/life/report").then().statusCode(200)
                .body("variants.impressions", equalTo(List.of(0, 0))).body("variants.users", equalTo(List.of(0, 0)));
    }

    @Test
    void badExperimentsAreRefusedNamingTheField() {
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "variants", List.of(variant("A", 0.5),
                variant("B", 0.4)))).post("/v1/experiments").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("'variants' the shares must add up to 1 (they add up to 0.9)"));
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "variants", List.of(variant("A", 0.5),
                        variant("B", 0.5, "strategy", "random", "rules", "missing"))))
                .post("/v1/experiments").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("variants[1].strategy")));
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "variants", List.of(variant("A", 0.5),
                        variant("B", 0.5, "rules", "missing"))))
                .post("/v1/experiments").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("variants[1].rules")));
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "variants", List.of(variant("A", 1.0))))
                .post("/v1/experiments").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("variants"));
        given().contentType(ContentType.JSON).body(Map.of("variants", List.of(variant("A", 0.5), variant("A", 0.5))))
                .post("/v1/experiments").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("name", "variants[1].name")));
        given().queryParam("days", 0).get("/v1/strategies/report").then().statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", equalTo("days"));
    }
}
