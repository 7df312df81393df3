package io.embedrec.support;

import io.restassured.http.ContentType;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** Small hand-made catalogs whose right answers a person can see, and waiting for their vectors. */
public final class Catalogs {

    /** Three obvious topics, four items each. */
    public static final Map<String, List<String[]>> TOPICS = Map.of(
            "hiking", List.of(
                    new String[]{"boot-1", "Waterproof leather hiking boots", "Sturdy boots for mountain trails with ankle support and a grippy sole"},
                    new String[]{"boot-2", "Lightweight trail hiking shoes", "Breathable hiking footwear for long walks on rocky mountain paths"},
                    new String[]{"boot-3", "Insulated winter hiking boots", "Warm waterproof boots for snowy trails and cold mountain hikes"},
                    new String[]{"boot-4", "Women's backpacking boots", "Supportive hiking boots for multi-day treks with a heavy backpack"}),
            "coffee", List.of(
                    new String[]{"esp-1", "Espresso machine with milk frother", "Brew espresso, cappuccino and latte at home with a steam wand"},
                    new String[]{"esp-2", "Compact pump espresso maker", "A small espresso coffee machine with a 15 bar pump for rich crema"},
                    new String[]{"esp-3", "Automatic bean-to-cup coffee machine", "Grinds coffee beans and brews espresso drinks at the touch of a button"},
                    new String[]{"esp-4", "Manual lever espresso machine", "Pull espresso shots by hand; a classic coffee maker for baristas"}),
            "books", List.of(
                    new String[]{"book-1", "Picture book about a sleepy bear", "A bedtime story for toddlers with colourful illustrations of a bear"},
                    new String[]{"book-2", "Children's fairy tale collection", "Classic fairy tales for kids, read aloud stories with pictures"},
                    new String[]{"book-3", "Alphabet book for preschoolers", "Learn the ABC with animals; an illustrated picture book for young children"},
                    new String[]{"book-4", "Dragon adventure story for kids", "An illustrated children's book about a friendly dragon and a brave girl"}));

    private Catalogs() {
    }

    /** PUTs the topic catalog through the API; items get category = topic and a price attribute. */
    public static void putTopics() {
        onlyTheDefaultSpace();
        int price = 10;
        for (Map.Entry<String, List<String[]>> topic : TOPICS.entrySet()) {
            for (String[] it : topic.getValue()) {
                given().contentType(ContentType.JSON)
                        .body(Map.of("title", it[1], "description", it[2], "categories", List.of(topic.getKey()),
                                "attributes", Map.of("price", price, "brand", price % 20 == 0 ? "acme" : "other")))
                        .put("/v1/items/" + it[0]).then().statusCode(201);
                price += 5;
            }
        }
    }

    /** Empties items, users (with their events) and logged recommendations, then loads the topic catalog. */
    /**
     * Drops every space but the default {@code content} one and makes it active, so a test starts from the state a
     * fresh service has even when an earlier test (or an interrupted run) left another space behind.
     */
    public static void onlyTheDefaultSpace() {
        try (var c = TestDb.connect(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT id FROM spaces WHERE name <> 'content'")) {
            java.util.List<Integer> extra = new java.util.ArrayList<>();
            while (rs.next()) {
                extra.add(rs.getInt(1));
            }
            for (int id : extra) {
                TestDb.exec("DROP TABLE IF EXISTS item_vectors_" + id, "DELETE FROM spaces WHERE id = " + id);
            }
            TestDb.exec("UPDATE spaces SET active = true WHERE name = 'content' AND NOT active");
            TestDb.spacesChanged();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void freshTopics() {
        TestDb.exec("TRUNCATE items, users CASCADE", "TRUNCATE recommendations");
        putTopics();
        awaitVectors("content", 12);
    }

    /** Waits until the space has no pending vectors and {@code ready} vectors. */
    public static void awaitVectors(String space, int ready) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> s = given().get("/v1/spaces/" + space).then().statusCode(200).extract().path("vectors");
            if (((Number) s.get("pending")).intValue() == 0 && ((Number) s.get("ready")).intValue() == ready) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError("space " + space + " did not reach " + ready + " ready vectors: "
                + given().get("/v1/spaces/" + space).asString());
    }

    /** Waits until a job has ended and returns its final state. */
    public static Map<String, Object> awaitJob(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> job = given().get("/v1/jobs/" + id).then().statusCode(200).extract().path("");
            String state = (String) job.get("state");
            if (!state.equals("queued") && !state.equals("running")) {
                return job;
            }
            sleep(100);
        }
        throw new AssertionError("job " + id + " did not end: " + given().get("/v1/jobs/" + id).asString());
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
