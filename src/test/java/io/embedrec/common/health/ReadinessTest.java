package io.embedrec.common.health;

import io.embedrec.support.TcpProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Readiness follows the database: DOWN while it is unreachable, UP again once it is back; liveness stays UP. */
@QuarkusTest
@TestProfile(ReadinessTest.ThroughProxy.class)
class ReadinessTest {

    public static class ThroughProxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DatabaseProxyResource.class));
        }
    }

    TcpProxy database;

    @AfterEach
    void reconnect() throws Exception {
        database.open();
    }

    @Test
    void readinessIsDownWhileTheDatabaseIsUnreachableAndUpWhenItIsBack() throws Exception {
        Map<String, Object> up = ready(200);
        assertThat(up).containsEntry("status", "UP");
        assertThat(schemaCheck(up)).containsEntry("status", "UP")
                .containsEntry("data", Map.of("version", latestMigration(), "pending", 0));

        database.close();

        Map<String, Object> down = ready(503);
        assertThat(down).containsEntry("status", "DOWN");
        assertThat(schemaCheck(down)).isEqualTo(Map.of("name", "database schema", "status", "DOWN",
                "data", Map.of("error", "database unreachable")));
        assertThat(statuses(down)).isEqualTo(Map.of("database schema", "DOWN",
                "Database connections health check", "DOWN"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

        database.open();

        Map<String, Object> back = awaitReady();
        assertThat(back).containsEntry("status", "UP");
        assertThat(schemaCheck(back)).containsEntry("status", "UP");
        assertThat(statuses(back)).isEqualTo(Map.of("database schema", "UP",
                "Database connections health check", "UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    static Map<String, Object> ready(int status) {
        return given().get("/q/health/ready").then().statusCode(status).extract().jsonPath().getMap("");
    }

    /** Polls until readiness answers 200; gives up after a minute (a hang guard, not a timing assertion). */
    static Map<String, Object> awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        Response r;
        while ((r = given().get("/q/health/ready")).statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return r.jsonPath().getMap("");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> statuses(Map<String, Object> health) {
        Map<String, Object> out = new java.util.HashMap<>();
        ((List<Map<String, Object>>) health.get("checks")).forEach(c -> out.put((String) c.get("name"), c.get("status")));
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> schemaCheck(Map<String, Object> health) {
        return ((List<Map<String, Object>>) health.get("checks")).stream()
                .filter(c -> "database schema".equals(c.get("name"))).findFirst().orElseThrow();
    }

    /** The highest version among the shipped migrations (migrations/V<n>__*.sql). */
    static String latestMigration() {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("migrations"))) {
            return String.valueOf(files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
