package io.embedrec.common.security;

import io.embedrec.support.ApiKeysProfile;
import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@TestProfile(ApiKeysProfile.class)
class ApiKeyTest {

    @BeforeEach
    void emptyCatalog() {
        TestDb.exec("TRUNCATE items CASCADE");
    }

    @Test
    void noKeyIs401WithBearerChallenge() {
        given().get("/v1/items").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"embedrec\"")
                .body("detail", equalTo("this call needs an API key with scope 'read': send "
                        + "'Authorization: Bearer <key>'"));
    }

    @Test
    void theConsoleIsOpenAndEmbedsNoKeyButSavingAMapNeedsAdmin() {
        for (String asset : new String[]{"/", "/console/app.js", "/console/api.js", "/console/pages/map.js"}) {
            String body = given().get(asset).then().statusCode(200).extract().asString();
            assertThat(body).doesNotContain("reader-key-1", "writer-key-1", "admin-key-1");
        }
        String map = "{\"method\":\"pca\",\"points\":[]}";
        given().header("Authorization", "Bearer writer-key-1").contentType("application/json").body(map)
                .put("/v1/spaces/content/map").then().statusCode(403);
        given().header("Authorization", "Bearer admin-key-1").contentType("application/json").body(map)
                .put("/v1/spaces/content/map").then().statusCode(200);
        given().header("Authorization", "Bearer reader-key-1").get("/v1/spaces/content/map").then().statusCode(200);
    }

    @Test
    void unknownKeyOrSchemeIs401() {
        given().header("Authorization", "Bearer nope").get("/v1/items").then().statusCode(401)
                .body("detail", equalTo("the API key is not valid"));
        given().header("Authorization", "Basic cmVhZGVyLWtleS0xOg==").get("/v1/items").then().statusCode(401)
                .body("detail", equalTo("the Authorization header must be 'Bearer <key>'"));
    }

    @Test
    void readKeyReadsButCannotWrite() {
        given().header("Authorization", "Bearer reader-key-1").get("/v1/items").then().statusCode(200);
        given().header("Authorization", "Bearer reader-key-1").contentType(ContentType.JSON)
                .body(Map.of("title", "x")).put("/v1/items/a")
                .then().statusCode(403).contentType("application/problem+json")
                .body("detail", equalTo("this call needs scope 'write'; the key has 'read'"));
    }

    @Test
    void writeKeyWritesAndAdminKeyDoesEverything() {
        given().header("Authorization", "Bearer writer-key-1").contentType(ContentType.JSON)
                .body(Map.of("title", "x")).put("/v1/items/a").then().statusCode(201);
        given().header("Authorization", "Bearer writer-key-1").post("/v1/jobs/reembed").then().statusCode(403)
                .body("detail", equalTo("this call needs scope 'admin'; the key has 'write'"));
        given().header("Authorization", "bearer admin-key-1").delete("/v1/items/a").then().statusCode(204);
    }

    @Test
    void healthAndOpenApiStayOpen() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
