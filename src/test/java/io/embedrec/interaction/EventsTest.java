package io.embedrec.interaction;

import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.embedrec.support.UserVectors;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.embedrec.support.UserVectors.event;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class EventsTest {

    static final String PROBLEM = "application/problem+json";

    @BeforeEach
    void topicCatalog() {
        Catalogs.freshTopics();
    }

    static JsonPath send(String contentType, String body) {
        return given().contentType(contentType).body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/v1/events").then().statusCode(200)
                .extract().jsonPath();
    }

    static List<String> stored() {
        List<String> out = new ArrayList<>();
        String rows = TestDb.text("SELECT string_agg(e.event_id || ' ' || u.external_id || ' ' || i.external_id || ' '"
                + " || e.type || ' ' || e.weight || ' ' || to_char(e.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS'),"
                + " '|' ORDER BY e.event_id) FROM events e JOIN users u ON u.pk = e.user_pk "
                + "JOIN items i ON i.pk = e.item_pk");
        if (rows != null) {
            out.addAll(List.of(rows.split("\\|")));
        }
        return out;
    }

    @Test
    void aJsonArrayIsStored() {
        JsonPath r = send("application/json", """
                [{"id": "a1", "user": "u", "item": "boot-1", "type": "purchase", "timestamp": "2026-01-01T10:00:00Z"},
                 {"id": "a2", "user": "u", "item": "esp-1", "type": "rating", "value": 1, "timestamp": "2026-01-01T11:00:00Z"},
                 {"id": "a3", "user": "v", "item": "book-1", "type": "view", "timestamp": "2026-01-02T00:00:00Z"}]""");
        assertThat(r.getMap("")).containsEntry("received", 3).containsEntry("accepted", 3)
                .containsEntry("duplicates", 0).containsEntry("rejected", 0).containsEntry("errors", List.of())
                .containsEntry("errors_truncated", false);
        // rating 1 with centre 3 and scale 2.5 weighs -5
        assertThat(stored()).containsExactly("a1 u boot-1 purchase 8 2026-01-01T10:00:00",
                "a2 u esp-1 rating -5 2026-01-01T11:00:00", "a3 v book-1 view 1 2026-01-02T00:00:00");
        assertThat(TestDb.count("SELECT count(*) FROM users")).isEqualTo(2);
        assertThat(TestDb.count("SELECT count(*) FROM user_vectors")).isEqualTo(2);
        assertThat(TestDb.count("SELECT events FROM item_popularity p JOIN items i ON i.pk = p.item_pk "
                + "WHERE i.external_id = 'boot-1'")).isEqualTo(1);
        // negative events add nothing to popularity
        assertThat(TestDb.count("SELECT count(*) FROM item_popularity p JOIN items i ON i.pk = p.item_pk "
                + "WHERE i.external_id = 'esp-1'")).isZero();
    }

    @Test
    void ndjsonIsStoredAndBadLinesAreReportedByLine() {
        JsonPath r = send("application/x-ndjson", """
                {"id": "n1", "user": "u", "item": "boot-1", "type": "view", "timestamp": "2026-01-01T10:00:00Z"}

                {"id": "n2", "user": "u", "item": "boot-2", "type": "like", "timestamp": "2026-01-01T11:00:00Z"}
                {"id": "n3", "user": "u", "item": "boot-2",
                {"id": "n4", "user": "u", "item": "nope", "type": "like"}
                """);
        assertThat(r.getMap("")).containsEntry("received", 4).containsEntry("accepted", 2)
                .containsEntry("rejected", 2);
        assertThat(r.getList("errors", Map.class)).containsExactly(
                Map.of("line", 4, "detail", "the line is not complete JSON: it ends early at column 44"),
                Map.of("line", 5, "id", "n4", "detail", "unknown item 'nope'"));
        assertThat(stored()).containsExactly("n1 u boot-1 view 1 2026-01-01T10:00:00",
                "n2 u boot-2 like 5 2026-01-01T11:00:00");
    }

    @Test
    void csvWithATypeColumnIsStored() {
        JsonPath r = send("text/csv", """
                user,item,type,value,timestamp
                u,boot-1,view,,2026-01-01T10:00:00Z
                u,boot-2,rating,4,2026-01-01T11:00:00Z
                u,esp-1,poke,,2026-01-01T12:00:00Z
                u,esp-2,rating,,2026-01-01T12:00:00Z
                """);
        assertThat(r.getMap("")).containsEntry("received", 4).containsEntry("accepted", 2)
                .containsEntry("rejected", 2);
        assertThat(r.getList("errors", Map.class)).containsExactly(
                Map.of("line", 4, "id", "csv:" + csvId("u", "esp-1", "poke", null, "2026-01-01T12:00:00Z"),
                        "detail", "unknown event type 'poke'; known: [add_to_cart, click, dislike, like, purchase, "
                                + "rating, skip, view]"),
                Map.of("line", 5, "id", "csv:" + csvId("u", "esp-2", "rating", null, "2026-01-01T12:00:00Z"),
                        "detail", "a rating needs a 'value' between 0 and 10"));
        assertThat(stored()).hasSize(2).anyMatch(s -> s.endsWith(" u boot-1 view 1 2026-01-01T10:00:00"))
                .anyMatch(s -> s.endsWith(" u boot-2 rating 2.5 2026-01-01T11:00:00"));
        // the same file again changes nothing: rows without ids are identified by their content
        JsonPath again = send("text/csv", """
                user,item,type,value,timestamp
                u,boot-1,view,,2026-01-01T10:00:00Z
                u,boot-2,rating,4,2026-01-01T11:00:00Z
                """);
        assertThat(again.getMap("")).containsEntry("accepted", 0).containsEntry("duplicates", 2);
    }

    @Test
    void anOversizedEventOrCsvRowStopsTheReadingAndKeepsWhatCameBefore() {
        String huge = "x".repeat(100_000);
        JsonPath r = send("application/json", "[{\"id\": \"z1\", \"user\": \"u\", \"item\": \"boot-1\", "
                + "\"type\": \"view\"}, {\"id\": \"z2\", \"user\": \"u\", \"item\": \"boot-2\", \"type\": \"view\", "
                + "\"recommendation_id\": \"" + huge + "\"}, {\"id\": \"z3\", \"user\": \"u\", \"item\": \"boot-3\", "
                + "\"type\": \"view\"}]");
        assertThat(r.getMap("")).containsEntry("accepted", 1).containsEntry("rejected", 1);
        assertThat(r.getString("errors[0].detail"))
                .isEqualTo("event 1 is larger than 65536 bytes; events after it were not read");
        JsonPath csv = send("text/csv", "id,user,item,type\nc1,u,boot-1,view\nc2,u,\"" + huge
                + "\",view\nc3,u,boot-3,view\n");
        assertThat(csv.getMap("")).containsEntry("accepted", 1).containsEntry("rejected", 1);
        assertThat(csv.getString("errors[0].detail")).matches("the CSV row at line \\d+ is larger than 65536 "
                + "bytes; rows after it were not read");
        assertThat(stored()).hasSize(2);
    }

    @Test
    void csvRowsWithoutIdOrTimestampAreEachANewEvent() {
        // the same purchase twice (in one file, then in tomorrow's export) is two purchases, not a duplicate
        JsonPath r = send("text/csv", "user,item,type\nu,boot-1,purchase\nu,boot-1,purchase\n");
        assertThat(r.getMap("")).containsEntry("accepted", 2).containsEntry("duplicates", 0);
        JsonPath tomorrow = send("text/csv", "user,item,type\nu,boot-1,purchase\n");
        assertThat(tomorrow.getMap("")).containsEntry("accepted", 1).containsEntry("duplicates", 0);
        assertThat(stored()).hasSize(3).allMatch(s -> s.startsWith("csv:") && s.contains(" u boot-1 purchase "));
    }

    static String csvId(String user, String item, String type, String value, String ts) {
        return java.util.UUID.nameUUIDFromBytes((user + "\u0000" + item + "\u0000" + type + "\u0000" + value
                + "\u0000" + ts).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    @Test
    void csvWithARatingColumnIsStored() {
        JsonPath r = send("text/csv", """
                id,user,item,rating
                r1,u,book-1,5
                r2,u,book-2,11
                r3,u,book-3,x
                r4,u,book-4,0.5
                """);
        assertThat(r.getMap("")).containsEntry("received", 4).containsEntry("accepted", 2)
                .containsEntry("rejected", 2);
        assertThat(r.getList("errors", Map.class)).containsExactly(
                Map.of("line", 3, "id", "r2", "detail", "a rating needs a 'value' between 0 and 10"),
                Map.of("line", 4, "detail", "'value' 'x' is not a number"));
        assertThat(stored()).hasSize(2).anyMatch(s -> s.startsWith("r1 u book-1 rating 5 "))
                .anyMatch(s -> s.startsWith("r4 u book-4 rating -6.25 "));
        given().contentType("text/csv").body("user,item\nu,boot-1\n").post("/v1/events").then().statusCode(400)
                .contentType(PROBLEM).body("detail", equalTo("the CSV header needs a 'type' or a 'rating' column"));
    }

    @Test
    void aReplayedEventIdChangesNothing() {
        String body = """
                [{"id": "x1", "user": "r", "item": "boot-1", "type": "purchase", "timestamp": "2026-01-01T10:00:00Z"},
                 {"id": "x2", "user": "r", "item": "esp-1", "type": "like", "timestamp": "2026-01-02T10:00:00Z"}]""";
        send("application/json", body);
        // the replay of x2 names another item: the first accepted version stays
        JsonPath again = send("application/json", body.replace("\"x2\", \"user\": \"r\", \"item\": \"esp-1\"",
                "\"x2\", \"user\": \"r\", \"item\": \"esp-2\""));
        assertThat(again.getMap("")).containsEntry("received", 2).containsEntry("accepted", 0)
                .containsEntry("duplicates", 2).containsEntry("rejected", 0);
        JsonPath twice = send("application/json", """
                [{"id": "x1", "user": "r", "item": "boot-1", "type": "purchase"},
                 {"id": "x3", "user": "r", "item": "boot-1", "type": "view", "timestamp": "2026-01-03T10:00:00Z"},
                 {"id": "x3", "user": "r", "item": "boot-1", "type": "view", "timestamp": "2026-01-03T10:00:00Z"}]""");
        assertThat(twice.getMap("")).containsEntry("accepted", 1).containsEntry("duplicates", 2);
        assertThat(stored()).containsExactly("x1 r boot-1 purchase 8 2026-01-01T10:00:00",
                "x2 r esp-1 like 5 2026-01-02T10:00:00", "x3 r boot-1 view 1 2026-01-03T10:00:00");
    }

    @Test
    void aReplayLeavesTheUserVectorBitForBit() {
        String body = """
                [{"id": "y1", "user": "s", "item": "boot-1", "type": "purchase", "timestamp": "2026-01-01T10:00:00Z"},
                 {"id": "y2", "user": "s", "item": "esp-1", "type": "dislike", "timestamp": "2026-01-02T10:00:00Z"}]""";
        send("application/json", body);
        String before = TestDb.text("SELECT sum::text || ' ' || embedding::text || ' ' || ref_ts || ' ' || ref_count "
                + "|| ' ' || positives || ' ' || negatives || ' ' || updated_at FROM user_vectors");
        String popBefore = TestDb.text("SELECT string_agg(log_score || ':' || events, ',' ORDER BY item_pk) "
                + "FROM item_popularity");
        JsonPath again = send("application/json", body);
        assertThat(again.getMap("")).containsEntry("accepted", 0).containsEntry("duplicates", 2);
        assertThat(TestDb.text("SELECT sum::text || ' ' || embedding::text || ' ' || ref_ts || ' ' || ref_count "
                + "|| ' ' || positives || ' ' || negatives || ' ' || updated_at FROM user_vectors")).isEqualTo(before);
        assertThat(TestDb.text("SELECT string_agg(log_score || ':' || events, ',' ORDER BY item_pk) "
                + "FROM item_popularity")).isEqualTo(popBefore);
    }

    @Test
    void eachBadEventIsReportedByIndexAndTheGoodOnesAreKept() {
        JsonPath r = send("application/json", """
                [{"id": "ok-0", "user": "u", "item": "boot-1", "type": "view", "timestamp": "2026-01-01T00:00:00Z"},
                 "not an object",
                 {"id": "bad-2", "user": "u", "item": "boot-1", "type": "view", "value": "high"},
                 {"id": "bad-3", "user": "u", "item": "nope", "type": "view"},
                 {"id": "bad-4", "user": "u", "item": "boot-1", "type": "poke"},
                 {"id": "bad-5", "user": "u", "item": "boot-1", "type": "view", "value": NaN},
                 {"id": "bad-6", "user": "u", "item": "boot-1", "type": "rating", "value": 11},
                 {"id": "bad-7", "user": "u", "item": "boot-1", "type": "rating"},
                 {"id": "bad-8", "user": "u", "item": "boot-1", "type": "view", "timestamp": "2100-01-01T00:00:00Z"},
                 {"id": "bad-9", "user": "u", "item": "boot-1", "type": "view", "timestamp": "yesterday"},
                 {"id": "bad-10", "user": "u", "item": "boot-1", "type": "view", "recommendation_id": "xyz"},
                 {"id": "ok-11", "user": "u", "item": "esp-1", "type": "rating", "value": 4.5, "timestamp": "2026-01-02T00:00:00Z"},
                 {"id": "bad-12", "user": {"name": "x"}, "item": "boot-1", "type": "view"},
                 {"id": "bad-13", "user": "u", "item": "boot-1"},
                 {"id": "", "user": "u", "item": "boot-1", "type": "view"},
                 {"id": "bad-15", "user": "u/v", "item": "boot-1", "type": "view"},
                 {"id": "bad-16", "user": "u", "item": "boot-1", "type": "view", "colour": "red"}]""");
        assertThat(r.getMap("")).containsEntry("received", 17).containsEntry("accepted", 2)
                .containsEntry("rejected", 15).containsEntry("errors_truncated", false);
        assertThat(r.getList("errors", Map.class)).containsExactly(
                Map.of("index", 1, "detail", "an event must be a JSON object"),
                Map.of("index", 2, "id", "bad-2", "detail",
                        "field 'value' has a value of the wrong type or format (expected a number)"),
                Map.of("index", 4, "id", "bad-4", "detail", "unknown event type 'poke'; known: [add_to_cart, click, "
                        + "dislike, like, purchase, rating, skip, view]"),
                Map.of("index", 5, "id", "bad-5", "detail", "'value' must be a finite number"),
                Map.of("index", 6, "id", "bad-6", "detail", "a rating needs a 'value' between 0 and 10"),
                Map.of("index", 7, "id", "bad-7", "detail", "a rating needs a 'value' between 0 and 10"),
                Map.of("index", 8, "id", "bad-8", "detail", "'timestamp' 2100-01-01T00:00:00Z is in the future"),
                Map.of("index", 9, "id", "bad-9", "detail", "'timestamp' 'yesterday' is not an ISO-8601 UTC "
                        + "instant such as 2026-01-31T12:00:00Z"),
                Map.of("index", 10, "id", "bad-10", "detail", "'recommendation_id' is not an id this API issued"),
                Map.of("index", 12, "id", "bad-12", "detail",
                        "field 'user' has a value of the wrong type (expected a string)"),
                Map.of("index", 13, "id", "bad-13", "detail", "'type' is required"),
                Map.of("index", 14, "id", "", "detail", "'id' must not be empty"),
                Map.of("index", 15, "id", "bad-15", "detail", "'user' must not contain '/'"),
                Map.of("index", 16, "id", "bad-16", "detail", "unknown field 'colour'; known fields: [id, item, "
                        + "recommendation_id, timestamp, type, user, value]"),
                Map.of("index", 3, "id", "bad-3", "detail", "unknown item 'nope'"));
        assertThat(stored()).containsExactly("ok-0 u boot-1 view 1 2026-01-01T00:00:00",
                "ok-11 u esp-1 rating 3.75 2026-01-02T00:00:00");
    }

    @Test
    void aBodyThatIsNotAnArrayIs400() {
        given().contentType(ContentType.JSON).body("{\"id\": \"a\", \"user\": \"u\", \"item\": \"boot-1\"}")
                .post("/v1/events").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("the body must be a JSON array of events (or send NDJSON with Content-Type "
                        + "application/x-ndjson)"));
        given().contentType(ContentType.JSON).body("nonsense").post("/v1/events").then().statusCode(400)
                .contentType(PROBLEM);
        assertThat(TestDb.count("SELECT count(*) FROM events")).isZero();
    }

    @Test
    void aSyntaxErrorMidArrayKeepsTheEventsBeforeItAndSaysWhereItStopped() {
        JsonPath r = send("application/json", "[{\"id\": \"s1\", \"user\": \"u\", \"item\": \"boot-1\", "
                + "\"type\": \"view\", \"timestamp\": \"2026-01-01T00:00:00Z\"},\n"
                + "{\"id\": \"s2\", \"user\": \"u\", \"item\": \"boot-2\", \"type\": \"view\", "
                + "\"timestamp\": \"2026-01-01T01:00:00Z\"},\n"
                + "{\"id\": \"s3\", \"user\": \"u\" \"item\": \"boot-3\", \"type\": \"view\"},\n"
                + "{\"id\": \"s4\", \"user\": \"u\", \"item\": \"boot-4\", \"type\": \"view\"}]");
        assertThat(r.getMap("")).containsEntry("received", 2).containsEntry("accepted", 2)
                .containsEntry("rejected", 1);
        assertThat(r.getList("errors", Map.class)).containsExactly(Map.of("index", 2, "detail",
                "the body is not valid JSON at line 3, column 26; events after it were not read"));
        assertThat(stored()).containsExactly("s1 u boot-1 view 1 2026-01-01T00:00:00",
                "s2 u boot-2 view 1 2026-01-01T01:00:00");
        JsonPath cut = send("application/json", "[{\"id\": \"t1\", \"user\": \"u\", \"item\": \"boot-1\", "
                + "\"type\": \"view\"}, {\"id\": \"t2\"");
        assertThat(cut.getMap("")).containsEntry("accepted", 1).containsEntry("rejected", 1);
        assertThat(cut.getString("errors[0].detail")).startsWith("the body is not complete JSON: it ends early");
    }

    @Test
    void aThousandEventsInOneRequestAreAllStored() {
        List<Map<String, Object>> events = new ArrayList<>();
        String[] types = {"view", "click", "purchase", "like", "dislike"};
        List<String> items = Catalogs.TOPICS.values().stream().flatMap(List::stream).map(it -> it[0]).toList();
        for (int i = 0; i < 1000; i++) {
            events.add(event("k" + i, "user-" + (i % 10), items.get(i % items.size()), types[i % types.length],
                    null, String.format("2026-01-01T%02d:%02d:%02dZ", i / 3600, i / 60 % 60, i % 60)));
        }
        UserVectors.post(events);
        assertThat(TestDb.count("SELECT count(*) FROM events")).isEqualTo(1000);
        assertThat(TestDb.count("SELECT count(*) FROM users")).isEqualTo(10);
        assertThat(TestDb.count("SELECT sum(ref_count) FROM user_vectors")).isEqualTo(1000);
    }

    @Test
    void eventsOnOneItemDecadesApartAreAllStoredAndThePopularityFollowsTheNewest() {
        // at the 7-day half-life, 2^-(20 years / 7 days) underflows a float8: this once failed the whole batch
        send("application/json", """
                [{"id": "old", "user": "u", "item": "boot-1", "type": "purchase", "timestamp": "2004-03-01T00:00:00Z"}]""");
        JsonPath r = send("application/json", """
                [{"id": "new", "user": "v", "item": "boot-1", "type": "purchase", "timestamp": "2026-01-01T00:00:00Z"},
                 {"id": "new2", "user": "v", "item": "boot-2", "type": "view", "timestamp": "2026-01-01T00:00:00Z"}]""");
        assertThat(r.getMap("")).containsEntry("accepted", 2).containsEntry("rejected", 0);
        assertThat(TestDb.count("SELECT count(*) FROM events")).isEqualTo(3);
        assertThat(TestDb.count("SELECT events FROM item_popularity p JOIN items i ON i.pk = p.item_pk "
                + "WHERE i.external_id = 'boot-1'")).isEqualTo(2);
        // the 2026 purchase alone decides the score (the 2004 one adds less than 1e-18 of it): boot-1 ranks above
        // boot-2's view of the same day by the weights 8 : 1
        assertThat(TestDb.count("SELECT round((a.log_score - b.log_score)::numeric, 9) * 1000000000 FROM "
                + "item_popularity a JOIN items ia ON ia.pk = a.item_pk, item_popularity b JOIN items ib ON "
                + "ib.pk = b.item_pk WHERE ia.external_id = 'boot-1' AND ib.external_id = 'boot-2'"))
                .isEqualTo(3_000_000_000L);
    }
}
