package io.embedrec.embedding;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Large embedding requests take turns; one that cannot start within embedrec.embedding.max-wait answers 503. */
@QuarkusTest
@TestProfile(ModelBusyTest.Profile.class)
class ModelBusyTest {

    /** A wait far shorter than one large request takes. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("embedrec.embedding.max-wait", "50ms", "embedrec.jobs.workers", "false");
        }
    }

    @Test
    void requestsBeyondTheModelsTurnsGet503ModelBusyWithRetryAfter() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            texts.add("a fairly ordinary product description number " + i + " with a few more words in it");
        }
        int concurrent = EmbeddingModels.HEAVY_PERMITS + 2;
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        for (int c = 0; c < concurrent; c++) {
            calls.add(CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                    .body(Map.of("input", texts)).post("/v1/embeddings")));
        }
        List<Response> answers = new ArrayList<>();
        for (var f : calls) {
            answers.add(f.get());
        }
        assertThat(answers).extracting(Response::statusCode).containsOnly(200, 503).contains(200, 503);
        Response busy = answers.stream().filter(r -> r.statusCode() == 503).findFirst().orElseThrow();
        assertThat(busy.contentType()).startsWith("application/problem+json");
        assertThat(busy.header("Retry-After")).isEqualTo("5");
        assertThat(busy.jsonPath().getString("type")).endsWith("/model-busy");
        assertThat(busy.jsonPath().getString("detail")).contains("embedrec.embedding.max-wait");
    }
}
