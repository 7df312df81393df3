package io.embedrec.catalog;

import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class ItemImportTest {

    @BeforeEach
    void emptyCatalog() {
        TestDb.exec("TRUNCATE items CASCADE");
    }

    @Test
    void importKeepsGoodLinesAndReportsEachBadLineWithItsNumber() {
        String body = String.join("\n",
                "{\"id\":\"boot-1\",\"title\":\"Trail boot\",\"categories\":[\"hiking\"],\"attributes\":{\"price\":120}}",
                "{\"id\":\"boot-2\",\"title\":\"\"}",
                "not json at all",
                "",
                "{\"id\":\"a/b\",\"title\":\"Slash\"}",
                "{\"id\":\"esp-1\",\"title\":\"Espresso machine\",\"attributes\":{\"nested\":{\"x\":1}}}",
                "{\"id\":\"esp-2\",\"title\":\"Grinder\",\"colour\":\"red\"}",
                "{\"id\":\"esp-3\",\"title\":\"Moka pot\",\"description\":\"Stovetop coffee maker\"}",
                "{\"title\":\"no id\"}",
                "[1,2,3]",
                "{\"id\":\"book-1\",\"title\":\"Picture book\",\"categories\":\"kids\"}",
                "{\"id\":\"book-2\",\"title\":\"Bedtime stories\",\"categories\":[\"kids\",\"books\"]}") + "\n";

        var report = given().contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/items/import")
                .then().statusCode(200)
                .body("lines", equalTo(11))
                .body("created", equalTo(3))
                .body("updated", equalTo(0))
                .body("unchanged", equalTo(0))
                .body("rejected", equalTo(8))
                .body("errors_truncated", equalTo(false))
                .extract().jsonPath();

        List<Map<String, Object>> errors = report.getList("errors");
        assertThat(errors).extracting(e -> e.get("line")).containsExactly(2, 3, 5, 6, 7, 9, 10, 11);
        assertThat(errors).extracting(e -> e.get("detail")).containsExactly(
                "'title' is required",
                "the line is not valid JSON at column 1",
                "'id' must not contain '/'",
                "'attributes' attribute 'nested' must be a string, a number or a boolean, not an object",
                "unknown field 'colour' at column 48; known fields: [attributes, available, available_from, available_until, categories, "
                        + "description, id, title]",
                "'id' must not be empty",
                "the line has the wrong shape at column 1 (expected an object)",
                "field 'categories' has a value of the wrong type at column 52 (expected an array)");
        assertThat(errors.get(0)).containsEntry("id", "boot-2");

        assertThat(given().get("/v1/items").then().statusCode(200).extract().jsonPath().getList("items.id"))
                .containsExactly("book-2", "boot-1", "esp-3");
    }

    @Test
    void reimportCountsUpdatedAndUnchangedAndLaterDuplicateLineWins() {
        String first = "{\"id\":\"x\",\"title\":\"X\"}\n{\"id\":\"y\",\"title\":\"Y\"}\n";
        given().contentType("application/x-ndjson").body(first.getBytes(StandardCharsets.UTF_8)).post("/v1/items/import")
                .then().statusCode(200).body("created", equalTo(2));
        String second = "{\"id\":\"x\",\"title\":\"X\"}\n{\"id\":\"y\",\"title\":\"Y2\"}\n"
                + "{\"id\":\"y\",\"title\":\"Y3\"}\r\n{\"id\":\"z\",\"title\":\"Z\"}";
        given().contentType("application/x-ndjson").body(second.getBytes(StandardCharsets.UTF_8)).post("/v1/items/import")
                .then().statusCode(200)
                .body("lines", equalTo(4))
                .body("created", equalTo(1))
                .body("updated", equalTo(2))
                .body("unchanged", equalTo(1))
                .body("rejected", equalTo(0));
        given().get("/v1/items/y").then().statusCode(200).body("title", equalTo("Y3"));
    }

    @Test
    void invalidUtf8OnOneLineRejectsOnlyThatLine() {
        byte[] good1 = "{\"id\":\"g1\",\"title\":\"Good\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}', '\n'};
        byte[] good2 = "{\"id\":\"g2\",\"title\":\"Caf\u00e9 \uD83D\uDE00\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[good1.length + bad.length + good2.length];
        System.arraycopy(good1, 0, body, 0, good1.length);
        System.arraycopy(bad, 0, body, good1.length, bad.length);
        System.arraycopy(good2, 0, body, good1.length + bad.length, good2.length);

        given().contentType("application/x-ndjson").body(body).post("/v1/items/import")
                .then().statusCode(200)
                .body("created", equalTo(2))
                .body("rejected", equalTo(1))
                .body("errors[0].line", equalTo(2))
                .body("errors[0].detail", equalTo("the line is not valid UTF-8"));
        given().get("/v1/items/g2").then().statusCode(200).body("title", equalTo("Caf\u00e9 \uD83D\uDE00"));
    }

    @Test
    void importOfManyLinesCommitsInBatchesAndCountsAll() {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 2500; k++) {
            sb.append("{\"id\":\"n").append(k).append("\",\"title\":\"Item ").append(k)
                    .append("\",\"categories\":[\"c").append(k % 7).append("\"]}\n");
        }
        given().contentType("application/x-ndjson").body(sb.toString().getBytes(StandardCharsets.UTF_8)).post("/v1/items/import")
                .then().statusCode(200).body("created", equalTo(2500)).body("rejected", equalTo(0));
        assertThat(TestDb.count("SELECT count(*) FROM items")).isEqualTo(2500);
        assertThat(TestDb.count("SELECT count(*) FROM items WHERE 'c3' = ANY(categories)")).isEqualTo(357);
    }

    @Test
    void nulCharactersAreRejectedInTitleDescriptionAndCategories() {
        String body = String.join("\n",
                "{\"id\":\"n1\",\"title\":\"A\\u0000B\"}",
                "{\"id\":\"n2\",\"title\":\"Ok\",\"description\":\"x\\u0000\"}",
                "{\"id\":\"n3\",\"title\":\"Ok\",\"categories\":[\"fine\",\"b\\u0000d\"]}",
                "{\"id\":\"n4\",\"title\":\"Ok \\u00e9\",\"description\":\"no nul here\"}") + "\n";
        var report = given().contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/items/import")
                .then().statusCode(200).body("created", equalTo(1)).body("rejected", equalTo(3))
                .extract().jsonPath();
        List<Map<String, Object>> errors = report.getList("errors");
        assertThat(errors).extracting(e -> e.get("detail")).containsExactly(
                "'title' must not contain NUL characters",
                "'description' must not contain NUL characters",
                "'categories[1]' must not contain NUL characters");
    }

    @Test
    void emptyBodyIsA400() {
        given().contentType("application/x-ndjson").body("\n\n".getBytes(StandardCharsets.UTF_8)).post("/v1/items/import")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("the body has no lines; send one JSON item per line (application/x-ndjson)"));
    }
}
