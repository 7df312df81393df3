package io.embedrec.common.security;

import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

/** Keys created, listed and revoked at run time beside a configured one, and per-scope rate limits. */
@QuarkusTest
@TestProfile(ApiKeyManagementTest.Profile.class)
class ApiKeyManagementTest {

    /** One configured admin key; read keys limited to 5 requests per second. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("embedrec.security.keys.boot-admin-key", "admin",
                    "embedrec.security.rate-limit.read", "5");
        }
    }

    static final String ADMIN = "Bearer boot-admin-key";

    @BeforeEach
    @AfterEach
    void noCreatedKeys() {
        // the test database is shared: a key left behind would close the API for the next test class
        TestDb.exec("TRUNCATE api_keys");
    }

    @Test
    void createListUseAndRevokeAKeyWithoutARestart() {
        JsonPath created = given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "storefront", "scope", "write")).post("/v1/keys")
                .then().statusCode(201).header("Location", matchesPattern(".*/v1/keys/[0-9a-f-]{36}"))
                .body("name", equalTo("storefront")).body("scope", equalTo("write"))
                .extract().jsonPath();
        String key = created.getString("key");
        String id = created.getString("id");
        assertThat(key).startsWith("erk_").hasSize(4 + 43);
        assertThat(created.getString("prefix")).isEqualTo(key.substring(0, 10));
        // only a hash is stored
        assertThat(TestDb.count("SELECT count(*) FROM api_keys WHERE hash = sha256(convert_to('" + key
                + "', 'UTF8'))")).isEqualTo(1);

        given().header("Authorization", "Bearer " + key).get("/v1/items").then().statusCode(200);
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(Map.of("title", "x")).put("/v1/items/k1").then().statusCode(201);
        // write is not admin: no key management, no jobs
        given().header("Authorization", "Bearer " + key).get("/v1/keys").then().statusCode(403);

        JsonPath list = given().header("Authorization", ADMIN).get("/v1/keys").then().statusCode(200)
                .extract().jsonPath();
        assertThat(list.getList("items.name")).containsExactly("storefront");
        assertThat(list.getString("items[0].prefix")).isEqualTo(key.substring(0, 10));
        assertThat(list.getMap("items[0]")).doesNotContainKey("key").doesNotContainKey("hash");

        given().header("Authorization", ADMIN).delete("/v1/keys/" + id).then().statusCode(204);
        given().header("Authorization", "Bearer " + key).get("/v1/items").then().statusCode(401)
                .body("detail", equalTo("the API key is not valid"));
        given().header("Authorization", ADMIN).get("/v1/keys").then().statusCode(200)
                .body("items[0].revoked_at", matchesPattern("\\d{4}-.*"));
        // the configured key keeps working
        given().header("Authorization", ADMIN).get("/v1/items").then().statusCode(200);
        given().header("Authorization", ADMIN).delete("/v1/keys/" + id.replace('a', 'b').replace('1', '2'))
                .then().statusCode(404);
    }

    @Test
    void aKeyCreatedAndRevokedByAnotherWriterWorksAndStopsWithinTwoSeconds() throws Exception {
        // as another instance or an operator in psql would: straight into the table, nothing told to this service
        String key = "erk_made-in-psql";
        TestDb.exec("INSERT INTO api_keys (id, name, prefix, hash, scope) VALUES (gen_random_uuid(), 'psql', "
                + "'erk_made-i', sha256(convert_to('" + key + "', 'UTF8')), 'read')");
        // the periodic reload runs every 5 s; the table's notification makes it milliseconds
        assertThat(within(2000, () -> given().header("Authorization", "Bearer " + key).get("/v1/items")
                .then().extract().statusCode() == 200)).isTrue();
        TestDb.exec("UPDATE api_keys SET revoked_at = now() WHERE name = 'psql'");
        assertThat(within(2000, () -> given().header("Authorization", "Bearer " + key).get("/v1/items")
                .then().extract().statusCode() == 401)).isTrue();
    }

    private static boolean within(long millis, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    @Test
    void lastUseIsRecordedWithinSeconds() throws Exception {
        String key = given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "reporting", "scope", "admin")).post("/v1/keys").then().statusCode(201)
                .extract().path("key");
        given().header("Authorization", "Bearer " + key).get("/v1/keys").then().statusCode(200)
                .body("items[0].last_used_at", equalTo(null));
        long deadline = System.nanoTime() + 15_000_000_000L;
        Object used = null;
        while (used == null && System.nanoTime() < deadline) {
            Thread.sleep(500);
            used = given().header("Authorization", ADMIN).get("/v1/keys").then().extract().path("items[0].last_used_at");
        }
        assertThat(used).isNotNull();
    }

    @Test
    void badKeyRequestsAre400() {
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "scope", "root")).post("/v1/keys").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("scope must be read, write or admin (got 'root')"));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("scope", "read")).post("/v1/keys").then().statusCode(400)
                .body("errors.field", equalTo(List.of("name")));
        assertThat(TestDb.count("SELECT count(*) FROM api_keys")).isZero();
    }

    @Test
    void aReadKeyOverItsRateGets429WithRetryAfter() {
        String key = given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "crawler", "scope", "read")).post("/v1/keys").then().statusCode(201)
                .extract().path("key");
        List<Integer> statuses = new ArrayList<>();
        String retryAfter = null;
        String detail = null;
        for (int i = 0; i < 20; i++) {
            var r = given().header("Authorization", "Bearer " + key).get("/v1/items?limit=1");
            statuses.add(r.statusCode());
            if (r.statusCode() == 429) {
                retryAfter = r.header("Retry-After");
                detail = r.jsonPath().getString("detail");
            }
        }
        // a bucket of 5: the first five pass at once, then the excess is refused until it refills
        assertThat(statuses.subList(0, 5)).containsOnly(200);
        assertThat(statuses).contains(429);
        assertThat(retryAfter).isEqualTo("1");
        assertThat(detail).isEqualTo("this key's rate limit is 5 requests per second (scope 'read'); retry after 1 s");
        // admin keys have no limit configured here
        for (int i = 0; i < 20; i++) {
            given().header("Authorization", ADMIN).get("/v1/items?limit=1").then().statusCode(200);
        }
    }
}
