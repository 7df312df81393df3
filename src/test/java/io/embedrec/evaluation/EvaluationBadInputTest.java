package io.embedrec.evaluation;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class EvaluationBadInputTest {

    @Test
    void kOutOfRangeIsRefusedWithTheField() {
        given().contentType(ContentType.JSON).body(Map.of("k", 0)).post("/v1/evaluations").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("'k' must be between 1 and 1000"))
                .body("errors[0].field", equalTo("k"));
    }

    @Test
    void aTestFractionOfOneIsRefused() {
        given().contentType(ContentType.JSON).body(Map.of("test_fraction", 1)).post("/v1/evaluations").then()
                .statusCode(400).body("detail", equalTo("'test_fraction' must be between 0 and 1 (exclusive)"));
    }

    @Test
    void anUnknownSpaceIsNotFound() {
        given().contentType(ContentType.JSON).body(Map.of("space", "nope")).post("/v1/evaluations").then()
                .statusCode(404).body("detail", equalTo("no space named 'nope'"));
    }

    @Test
    void anUnknownFieldIsAMalformedBody() {
        given().contentType(ContentType.JSON).body(Map.of("kk", 3)).post("/v1/evaluations").then().statusCode(400)
                .body("type", equalTo("https://embedrec.io/problems/malformed-body"));
    }
}
