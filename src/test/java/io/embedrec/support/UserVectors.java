package io.embedrec.support;

import io.restassured.http.ContentType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

/** Sending events and reading stored user vectors behind the API's back. */
public final class UserVectors {

    private UserVectors() {
    }

    /** An event body: id, user, item, type, optional value and timestamp. */
    public static Map<String, Object> event(String id, String user, String item, String type, Double value,
                                           String timestamp) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", id);
        e.put("user", user);
        e.put("item", item);
        e.put("type", type);
        if (value != null) {
            e.put("value", value);
        }
        if (timestamp != null) {
            e.put("timestamp", timestamp);
        }
        return e;
    }

    /** Posts events as a JSON array and checks that all were accepted. */
    public static void post(List<Map<String, Object>> events) {
        given().contentType(ContentType.JSON).body(events).post("/v1/events").then().statusCode(200)
                .body("rejected", equalTo(0)).body("accepted", equalTo(events.size()));
    }

    public static long userPk(String user) {
        return TestDb.count("SELECT pk FROM users WHERE external_id = '" + user.replace("'", "''") + "'");
    }

    /** The stored un-normalised sum of a user's vector in a space, as Postgres returns it. */
    public static double[] storedSum(String space, String user) {
        String text = TestDb.text("SELECT v.sum::text FROM user_vectors v JOIN users u ON u.pk = v.user_pk "
                + "JOIN spaces s ON s.id = v.space_id WHERE s.name = '" + space + "' AND u.external_id = '"
                + user.replace("'", "''") + "'");
        if (text == null) {
            throw new AssertionError("user " + user + " has no vector in space " + space);
        }
        String[] parts = text.substring(1, text.length() - 1).split(",");
        double[] out = new double[parts.length];
        for (int k = 0; k < parts.length; k++) {
            out[k] = Double.parseDouble(parts[k]);
        }
        return out;
    }

    /** Element by element, within {@code tolerance}. */
    public static void assertClose(double[] actual, double[] expected, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int k = 0; k < expected.length; k++) {
            assertThat(actual[k]).as("dimension %d", k).isCloseTo(expected[k], within(tolerance));
        }
    }
}
