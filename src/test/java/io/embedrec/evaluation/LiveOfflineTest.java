package io.embedrec.evaluation;

import io.embedrec.recommendation.HybridWeights;
import io.embedrec.space.Space;
import io.embedrec.space.SpaceService;
import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * What the offline evaluation scores is what the feed serves: on a small catalog, the offline engine's ranking of
 * each user (the evaluator's own in-memory sources and models, the shared pipeline) equals the live feed's ids and
 * order after a training on the same events. Weights leave the ALS cosines out (ALS factors depend on the order the
 * training indexes users in, which the two sides do not share); the item-item model (EASE, a closed form),
 * content, popularity, exclusions, calibration and ordering are all compared.
 */
@QuarkusTest
class LiveOfflineTest {

    static final String WEIGHTS = "items:1,collaborative:0,content:0.3,popularity:0.2";

    @Inject
    OfflineEvaluation evaluation;
    @Inject
    EvaluationRepository repository;
    @Inject
    SpaceService spaces;

    @Test
    void theOfflineEngineRanksEveryUserExactlyAsTheLiveFeedDoes() {
        Catalogs.freshTopics();
        String[][] histories = {
                {"boot-1", "esp-1", "book-1"}, {"boot-1", "esp-1", "book-2"}, {"boot-2", "esp-2", "book-2"},
                {"boot-2", "esp-3", "book-3"}, {"boot-3", "esp-3", "book-3", "boot-1"}, {"esp-4", "book-4", "boot-4"},
                {"boot-1", "book-1"}, {"esp-2", "esp-3", "boot-3", "book-2"}};
        String[] types = {"purchase", "view", "like", "click"};
        List<Map<String, Object>> events = new ArrayList<>();
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        for (int u = 0; u < histories.length; u++) {
            for (int e = 0; e < histories[u].length; e++) {
                t = t.plusSeconds(3600);
                events.add(Map.of("id", "u" + u + "-" + e, "user", "user-" + u, "item", histories[u][e],
                        "type", types[(u + e) % types.length], "timestamp", t.toString()));
            }
        }
        given().contentType(ContentType.JSON).body(events).post("/v1/events").then().statusCode(200)
                .body("rejected", equalTo(0));
        String job = given().contentType(ContentType.JSON).body(Map.of("factors", 4, "seed", 1))
                .post("/v1/jobs/train").then().statusCode(202).extract().path("id");
        assertThat(Catalogs.awaitJob(job).get("state")).isEqualTo("done");

        Space content = spaces.resolve(Optional.empty(), Space.Kind.CONTENT);
        var data = QuarkusTransaction.requiringNew().call(() -> {
            EvaluationRepository.CatalogRows catalog = repository.catalog(content);
            return Map.entry(catalog, repository.events(catalog.indexByPk()));
        });
        Evaluator.Catalog catalog = data.getKey().catalog();
        Evaluator evaluator = evaluation.evaluator(evaluation.settings(5, 0.2, 42),
                HybridWeights.parse(WEIGHTS, new HybridWeights(1, 0, 0, 0)));
        List<int[]> offline = evaluator.rankAll(catalog, data.getValue());
        assertThat(offline).hasSize(histories.length);
        // the evaluation reads users in key order
        List<String> users = List.of(TestDb.text("SELECT string_agg(external_id, ',' ORDER BY pk) FROM users u "
                + "WHERE EXISTS (SELECT 1 FROM events e WHERE e.user_pk = u.pk)").split(","));
        assertThat(users).hasSize(histories.length);
        for (int u = 0; u < users.size(); u++) {
            List<String> live = given().queryParam("k", 5).queryParam("weights", WEIGHTS)
                    .get("/v1/users/" + users.get(u) + "/recommendations").then().statusCode(200)
                    .body("strategy", equalTo("hybrid")).extract().jsonPath().getList("items.id", String.class);
            List<String> expected = Arrays.stream(offline.get(u)).mapToObj(i -> catalog.ids()[i]).toList();
            assertThat(live).as(users.get(u)).hasSize(5).isEqualTo(expected);
        }
        assertThat(TestDb.count("SELECT count(*) FROM item_neighbours")).isPositive();
    }
}
