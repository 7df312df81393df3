package io.embedrec.common;

import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

/** Every kind of bad request gets a clear 4xx problem+json, never a 500, a class name or a stack trace. */
@QuarkusTest
class BadInputTest {

    static final String PROBLEM = "application/problem+json";

    @BeforeEach
    void emptyCatalog() {
        TestDb.exec("TRUNCATE items CASCADE");
    }

    @Test
    void malformedJson() {
        given().contentType(ContentType.JSON).body("{\"title\": \"x\"").put("/v1/items/a")
                .then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("https://embedrec.io/problems/malformed-body"))
                .body("title", equalTo("Malformed request body"))
                .body("status", equalTo(400))
                .body("detail", equalTo("the body is not complete JSON: it ends early at line 1, column 14"))
                .body("instance", equalTo("/v1/items/a"));
    }

    @Test
    void wrongTypes() {
        given().contentType(ContentType.JSON).body("{\"title\": \"x\", \"categories\": [1, {\"a\": 2}]}")
                .put("/v1/items/a")
                .then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("field 'categories[1]' has a value of the wrong type at line 1, column 34 "
                        + "(expected a string)"));
        given().contentType(ContentType.JSON).body("{\"title\": [\"x\"]}").put("/v1/items/a")
                .then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("field 'title' has a value of the wrong type at line 1, column 11 "
                        + "(expected a string)"));
    }

    @Test
    void unknownField() {
        given().contentType(ContentType.JSON).body("{\"title\": \"x\", \"price\": 3}").put("/v1/items/a")
                .then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("unknown field 'price' at line 1, column 27; known fields: "
                        + "[attributes, available, available_from, available_until, categories, description, id, "
                        + "title]"));
    }

    @Test
    void validationNamesEveryFailingField() {
        given().contentType(ContentType.JSON)
                .body("{\"title\": \" \", \"categories\": [\"ok\", \"\"], \"attributes\": {\"tags\": [1]}}")
                .put("/v1/items/a")
                .then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("https://embedrec.io/problems/invalid-input"))
                .body("detail", equalTo("3 fields are invalid: see 'errors'"))
                .body("errors.field", equalTo(java.util.List.of("attributes", "categories[1]", "title")))
                .body("errors.message", equalTo(java.util.List.of(
                        "attribute 'tags' must be a string, a number or a boolean, not an array",
                        "must not be blank", "is required")));
        assertThat(TestDb.count("SELECT count(*) FROM items")).isZero();
    }

    @Test
    void tooManyCategoriesAndTooLongDescription() {
        StringBuilder cats = new StringBuilder("[");
        for (int k = 0; k < 65; k++) {
            cats.append(k == 0 ? "" : ",").append("\"c").append(k).append('"');
        }
        cats.append(']');
        given().contentType(ContentType.JSON).body("{\"title\": \"x\", \"categories\": " + cats + "}")
                .put("/v1/items/a")
                .then().statusCode(400).body("detail", equalTo("'categories' must have at most 64 categories"));
        given().contentType(ContentType.JSON).body("{\"title\": \"x\", \"description\": \"" + "d".repeat(100_001) + "\"}")
                .put("/v1/items/a")
                .then().statusCode(400).body("detail", equalTo("'description' must be at most 100000 characters"));
    }

    @Test
    void bodyOverTheOrdinaryLimitIs413() {
        String big = "{\"title\": \"x\", \"description\": \"" + "d".repeat(2 * 1024 * 1024 + 10) + "\"}";
        given().contentType(ContentType.JSON).body(big).put("/v1/items/a")
                .then().statusCode(413).contentType(PROBLEM)
                .body("title", equalTo("Payload too large"))
                .body("detail", equalTo("the body is larger than the request limit of 2097152 bytes "
                        + "(embedrec.http.max-body-size)"));
    }

    @Test
    void invalidUtf8Body() {
        byte[] body = {'{', '"', 't', 'i', 't', 'l', 'e', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'};
        given().contentType("application/json; charset=utf-8").body(body).put("/v1/items/a")
                .then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("the body is not valid UTF-8 at line 1, column 13"));
    }

    @Test
    void idsWithControlCharactersOrTooLongAreRejected() {
        given().contentType(ContentType.JSON).body("{\"title\": \"x\"}").urlEncodingEnabled(false).put("/v1/items/a%09b")
                .then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("id must not contain control characters (found U+0009 at position 1)"));
        given().contentType(ContentType.JSON).body("{\"title\": \"x\"}").put("/v1/items/" + "x".repeat(257))
                .then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("id must be at most 256 characters (got 257)"));
    }

    @Test
    void idWithSlashMatchesNoEndpoint() {
        given().contentType(ContentType.JSON).body("{\"title\": \"x\"}").put("/v1/items/a/b")
                .then().statusCode(404).contentType(PROBLEM)
                .body("detail", equalTo("no endpoint at /v1/items/a/b; see /q/openapi for the API "
                        + "(ids must not contain '/')"));
        given().contentType(ContentType.JSON).body("{\"title\": \"x\"}").urlEncodingEnabled(false).put("/v1/items/a%2Fb")
                .then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("id must not contain '/'"));
    }

    @Test
    void bodyIdThatDiffersFromPathIsRejected() {
        given().contentType(ContentType.JSON).body("{\"id\": \"b\", \"title\": \"x\"}").put("/v1/items/a")
                .then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("the body's id 'b' differs from the path's id 'a'; omit it or make them equal"));
    }

    @Test
    void emptyBodyAndWrongContentType() {
        given().contentType(ContentType.JSON).put("/v1/items/a")
                .then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("the body is empty; send the item as JSON: {\"title\": ..., ...}"));
        given().contentType(ContentType.TEXT).body("title=x").put("/v1/items/a")
                .then().statusCode(415).contentType(PROBLEM)
                .body("detail", equalTo("unsupported Content-Type; send application/json "
                        + "(or application/x-ndjson for imports)"));
    }

    @Test
    void badPagingParameters() {
        given().queryParam("limit", 0).get("/v1/items")
                .then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("limit must be between 1 and 1000 (got 0)"));
        given().queryParam("limit", "ten").get("/v1/items")
                .then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("query parameter 'limit' has a value of the wrong type: 'ten'"));
        given().queryParam("cursor", "!!!").get("/v1/items")
                .then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("cursor '!!!' is not a cursor this API issued; pass the 'next' value of "
                        + "the previous page unchanged"));
    }

    @Test
    void problemBodiesNeverLeakJavaNames() {
        given().contentType(ContentType.JSON).body("{\"title\": {\"a\": 1}}").put("/v1/items/a")
                .then().statusCode(400)
                .body(not(containsString("java.")))
                .body(not(containsString("Exception")))
                .body(not(containsString("io.embedrec")));
    }
}
