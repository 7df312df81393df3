package io.embedrec.common;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class OpenApiTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyV1OperationHasASummaryAndATag() {
        Map<String, Object> paths = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().path("paths");
        List<String> missing = new ArrayList<>();
        int operations = 0;
        for (Map.Entry<String, Object> p : paths.entrySet()) {
            if (!p.getKey().startsWith("/v1/")) {
                continue;
            }
            for (Map.Entry<String, Object> op : ((Map<String, Object>) p.getValue()).entrySet()) {
                if (!(op.getValue() instanceof Map<?, ?> body) || op.getKey().equals("parameters")) {
                    continue;
                }
                operations++;
                Object summary = body.get("summary");
                if (!(summary instanceof String s) || s.isBlank() || body.get("tags") == null) {
                    missing.add(op.getKey().toUpperCase() + " " + p.getKey());
                }
            }
        }
        assertThat(paths).containsKeys("/v1/users", "/v1/users/{id}", "/v1/users/{id}/events", "/v1/recommend",
                "/v1/jobs/rebuild-users");
        assertThat(operations).isGreaterThan(20);
        assertThat(missing).isEmpty();
    }
}
