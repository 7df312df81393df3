package io.embedrec.evaluation;

import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class EvaluationTest {

    /** Six topics a sentence model cannot mix up, ten short items each. */
    static final Map<String, String[]> TOPICS = new LinkedHashMap<>();

    static {
        TOPICS.put("hike", new String[]{"Waterproof leather hiking boots", "Trail running shoes for rocky paths",
                "Insulated winter mountain boots", "Lightweight backpacking tent", "Hiking backpack with rain cover",
                "Trekking poles for steep trails", "Down sleeping bag for alpine camping", "Hiking socks of merino wool",
                "Mountain trail map and compass", "Camping stove for backpackers"});
        TOPICS.put("coffee", new String[]{"Espresso machine with milk frother", "Burr grinder for coffee beans",
                "Dark roast espresso coffee beans", "French press coffee maker", "Pour-over coffee dripper",
                "Latte art milk pitcher", "Cold brew coffee jug", "Moka pot stovetop espresso maker",
                "Coffee bean storage canister", "Barista tamper for espresso"});
        TOPICS.put("kids", new String[]{"Picture book about a sleepy bear", "Children's fairy tale collection",
                "Alphabet book for preschoolers", "Bedtime stories for toddlers", "Dragon adventure story for kids",
                "Counting book with farm animals", "Illustrated nursery rhymes", "Lift-the-flap book for babies",
                "Princess fairy tale picture book", "Dinosaur picture book for children"});
        TOPICS.put("guitar", new String[]{"Acoustic guitar with steel strings", "Electric guitar amplifier",
                "Guitar strings for electric guitar", "Guitar tuner clip-on", "Classical nylon-string guitar",
                "Guitar effects pedal for distortion", "Guitar capo for acoustic guitar", "Bass guitar with four strings",
                "Guitar picks of medium thickness", "Padded gig bag for guitar"});
        TOPICS.put("garden", new String[]{"Garden hose with spray nozzle", "Pruning shears for roses",
                "Vegetable seeds for the garden", "Compost bin for garden waste", "Lawn mower for small gardens",
                "Garden gloves for weeding", "Watering can for house plants", "Raised garden bed kit",
                "Flower bulbs for spring planting", "Garden rake and spade set"});
        TOPICS.put("sky", new String[]{"Telescope for stargazing beginners", "Star chart of the night sky",
                "Binoculars for astronomy", "Moon filter for telescope eyepiece", "Planetarium projector of stars",
                "Astronomy guide to the planets", "Telescope tripod mount", "Astrophotography camera adapter",
                "Solar filter for observing the sun", "Red flashlight for night sky observing"});
    }

    @BeforeEach
    void topicCatalogAndHistory() {
        TestDb.exec("TRUNCATE items, users CASCADE", "TRUNCATE recommendations");
        StringBuilder ndjson = new StringBuilder();
        TOPICS.forEach((topic, titles) -> {
            for (int j = 0; j < titles.length; j++) {
                ndjson.append("{\"id\":\"").append(topic).append('-').append(j).append("\",\"title\":\"")
                        .append(titles[j]).append("\",\"categories\":[\"").append(topic).append("\"]}\n");
            }
        });
        given().contentType("application/x-ndjson").body(ndjson.toString().getBytes(StandardCharsets.UTF_8))
                .post("/v1/items/import").then().statusCode(200).body("rejected", equalTo(0));
        Catalogs.awaitVectors("content", 60);
        given().contentType(ContentType.JSON).body(history(80, 7)).post("/v1/events").then().statusCode(200)
                .body("rejected", equalTo(0));
    }

    /**
     * Users with one or two hidden favourite topics (70/30): 12 events each, 90% in their topics with a popularity
     * skew (item j drawn with weight 1/(j+1)), 10% anywhere; views, some clicks and purchases; times increasing.
     */
    static List<Map<String, Object>> history(int users, long seed) {
        Random rng = new Random(seed);
        List<String> topics = new ArrayList<>(TOPICS.keySet());
        List<Map<String, Object>> out = new ArrayList<>();
        long t0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        for (int u = 0; u < users; u++) {
            String first = topics.get(rng.nextInt(topics.size()));
            String second = rng.nextBoolean() ? topics.get(rng.nextInt(topics.size())) : first;
            long t = t0 + rng.nextInt(86_400_000);
            for (int n = 0; n < 12; n++) {
                String topic = rng.nextDouble() < 0.1 ? topics.get(rng.nextInt(topics.size()))
                        : rng.nextDouble() < 0.7 ? first : second;
                String item = topic + "-" + skewed(rng, 10);
                double r = rng.nextDouble();
                String type = r < 0.6 ? "view" : r < 0.85 ? "click" : "purchase";
                t += 60_000 + rng.nextInt(3_600_000);
                out.add(Map.of("id", "ev-" + u + "-" + n, "user", "u" + u, "item", item, "type", type,
                        "timestamp", Instant.ofEpochMilli(t).toString()));
            }
        }
        return out;
    }

    static int skewed(Random rng, int n) {
        double total = 0;
        for (int j = 0; j < n; j++) {
            total += 1.0 / (j + 1);
        }
        double x = rng.nextDouble() * total;
        for (int j = 0; j < n; j++) {
            x -= 1.0 / (j + 1);
            if (x < 0) {
                return j;
            }
        }
        return n - 1;
    }

    static String userVectorsDigest() {
        return TestDb.text("SELECT count(*) || ':' || coalesce(md5(string_agg(user_pk || ':' || updated_at || ':' "
                + "|| embedding::text, ',' ORDER BY space_id, user_pk)), '') FROM user_vectors");
    }

    @Test
    void theEngineRecallsMoreOfEachUsersLaterItemsThanMostPopular() {
        String before = userVectorsDigest();
        var started = given().contentType(ContentType.JSON).body(Map.of("k", 10)).post("/v1/evaluations")
                .then().statusCode(202).body("state", equalTo("queued")).extract();
        String id = started.path("id");
        assertThat(started.header("Location")).endsWith("/v1/jobs/" + id);
        Map<String, Object> job = Catalogs.awaitJob(id);
        assertThat(job).containsEntry("state", "done").containsEntry("type", "evaluation");
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) job.get("result");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) result.get("recommenders");
        assertThat(rows).extracting(r -> r.get("name")).containsExactly("engine", "content", "collaborative",
                "item_knn", "most_popular", "random");
        Map<String, Double> recall = new java.util.HashMap<>();
        rows.forEach(r -> recall.put((String) r.get("name"), ((Number) r.get("recall")).doubleValue()));
        assertThat(recall.get("engine")).isGreaterThan(recall.get("most_popular"));
        assertThat(recall.get("content")).isGreaterThan(recall.get("most_popular"));
        assertThat(recall.get("most_popular")).isGreaterThan(recall.get("random"));
        assertThat(result).containsEntry("weights", "items:1,collaborative:0.7,content:0.05,popularity:0")
                .containsEntry("tuning", null);
        assertThat(result).containsEntry("k", 10).containsEntry("catalog_items", 60).containsEntry("events", 960);
        assertThat(userVectorsDigest()).isEqualTo(before);
    }

    @Test
    void tuningReportsEveryWeighingTriedAndEvaluatesWithTheBest() {
        var id = given().contentType(ContentType.JSON).body(Map.of("k", 10, "tune", true)).post("/v1/evaluations")
                .then().statusCode(202).extract().<String>path("id");
        Map<String, Object> job = Catalogs.awaitJob(id);
        assertThat(job).containsEntry("state", "done");
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) job.get("result");
        @SuppressWarnings("unchecked")
        Map<String, Object> tuning = (Map<String, Object>) result.get("tuning");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> trials = (List<Map<String, Object>>) tuning.get("trials");
        assertThat(trials).hasSize(117);
        double best = trials.stream().mapToDouble(t -> ((Number) t.get("recall")).doubleValue()).max().orElseThrow();
        assertThat(((Number) trials.stream().filter(t -> t.get("name").equals(tuning.get("best"))).findFirst()
                .orElseThrow().get("recall")).doubleValue()).isEqualTo(best);
        assertThat(result.get("weights")).isEqualTo(tuning.get("best"));
    }
}
