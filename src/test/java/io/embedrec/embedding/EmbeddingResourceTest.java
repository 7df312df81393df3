package io.embedrec.embedding;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class EmbeddingResourceTest {

    static final String PROBLEM = "application/problem+json";
    static final String MODELS = "all-minilm-l6-v2, all-minilm-l6-v2-q, bge-small-en-v15-q";

    @Inject
    EmbeddingModels models;

    static Response post(Object body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/embeddings");
    }

    static float[] floats(List<Float> list) {
        float[] f = new float[list.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = list.get(i);
        }
        return f;
    }

    @Test
    void embedsOneStringWithTheDefaultModel() {
        Response r = post(Map.of("input", "hello world"));
        r.then().statusCode(200)
                .body("object", equalTo("list"))
                .body("model", equalTo("all-minilm-l6-v2"))
                .body("data.size()", equalTo(1))
                .body("data[0].object", equalTo("embedding"))
                .body("data[0].index", equalTo(0))
                .body("data[0].embedding.size()", equalTo(384))
                // [CLS] hello world [SEP]
                .body("usage.prompt_tokens", equalTo(4))
                .body("usage.total_tokens", equalTo(4));
        float[] got = floats(r.jsonPath().getList("data[0].embedding", Float.class));
        assertThat(got).containsExactly(models.defaultModel().embed(List.of("hello world"))[0], within(1e-6f));
    }

    @Test
    void arrayInputKeepsItsOrder() {
        List<String> texts = List.of("a much longer text about vector databases and search", "tea", "coffee beans");
        Response r = post(Map.of("input", texts, "model", "all-minilm-l6-v2"));
        r.then().statusCode(200).body("data.index", equalTo(List.of(0, 1, 2)));
        float[][] expected = models.defaultModel().embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            float[] got = floats(r.jsonPath().getList("data[" + i + "].embedding", Float.class));
            assertThat(got).as("input %d", i).containsExactly(expected[i], within(1e-6f));
        }
    }

    @Test
    void base64IsLittleEndianFloat32() {
        Response r = post(Map.of("input", List.of("tea"), "encoding_format", "base64", "dimensions", 384));
        r.then().statusCode(200);
        byte[] bytes = Base64.getDecoder().decode(r.jsonPath().getString("data[0].embedding"));
        assertThat(bytes).hasSize(384 * 4);
        float[] got = new float[384];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
        assertThat(got).containsExactly(models.defaultModel().embed(List.of("tea"))[0]);
    }

    @Test
    void namedModelIsUsedAndClsPooledBgeIsUnitLength() {
        Response r = post(Map.of("input", "tea", "model", "bge-small-en-v15-q"));
        r.then().statusCode(200).body("model", equalTo("bge-small-en-v15-q"));
        float[] v = floats(r.jsonPath().getList("data[0].embedding", Float.class));
        assertThat(v).hasSize(384);
        assertThat(TokenPooling.cosine(v, v)).isCloseTo(1.0, within(1e-6));
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
        assertThat(v).isNotEqualTo(models.defaultModel().embed(List.of("tea"))[0]);
    }

    @Test
    void truncatedInputsAreListed() {
        post(Map.of("input", List.of("short", SampleTexts.VERY_LONG, "also short"))).then().statusCode(200)
                .body("truncated", equalTo(List.of(1)))
                .body("usage.prompt_tokens", equalTo(3 + 256 + 4));
        post(Map.of("input", "short")).then().statusCode(200)
                .body("containsKey('truncated')", equalTo(false));
    }

    @Test
    void concurrentSingleTextsAreCoalescedAndKeepTheirOwnVectors() throws Exception {
        List<String> texts = List.of("red", "green", "blue", "a yellow submarine", "black coffee", "white tea",
                "violet", "orange juice with pulp");
        float[][] expected = models.defaultModel().embedQueries(texts).vectors();
        ExecutorService pool = Executors.newFixedThreadPool(texts.size());
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (String t : texts) {
                futures.add(pool.submit(() -> models.embedQuery("all-minilm-l6-v2", t)));
            }
            for (int i = 0; i < texts.size(); i++) {
                assertThat(futures.get(i).get()).as("text %d", i).containsExactly(expected[i], within(1e-5f));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void metricsCountTextsTokensAndTruncations() {
        double texts = metric("embedrec_embedding_texts_total{model=\"all-minilm-l6-v2\"}");
        double tokens = metric("embedrec_embedding_tokens_total{model=\"all-minilm-l6-v2\"}");
        double cut = metric("embedrec_embedding_truncated_total{model=\"all-minilm-l6-v2\"}");
        post(Map.of("input", List.of("one", "two words", SampleTexts.VERY_LONG))).then().statusCode(200);
        assertThat(metric("embedrec_embedding_texts_total{model=\"all-minilm-l6-v2\"}")).isEqualTo(texts + 3);
        assertThat(metric("embedrec_embedding_tokens_total{model=\"all-minilm-l6-v2\"}"))
                .isEqualTo(tokens + 3 + 4 + 256);
        assertThat(metric("embedrec_embedding_truncated_total{model=\"all-minilm-l6-v2\"}")).isEqualTo(cut + 1);
    }

    static double metric(String series) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : body.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    @Test
    void listsModelsInOpenAiShapeWithOurFacts() {
        given().get("/v1/models").then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data.id", equalTo(List.of("all-minilm-l6-v2", "all-minilm-l6-v2-q", "bge-small-en-v15-q")))
                .body("data.object", equalTo(List.of("model", "model", "model")))
                .body("data.owned_by", equalTo(List.of("embedrec", "embedrec", "embedrec")))
                .body("data.dimensions", equalTo(List.of(384, 384, 384)))
                .body("data.pooling", equalTo(List.of("mean", "mean", "cls")))
                .body("data.max_tokens", equalTo(List.of(256, 256, 512)))
                .body("data.normalized", equalTo(List.of(true, true, true)))
                .body("data.default", equalTo(List.of(true, false, false)))
                .body("data[0].loaded", equalTo(true))
                .body("data[0].outputs", equalTo(List.of("output_0", "882")));
        given().get("/v1/models/all-minilm-l6-v2-q").then().statusCode(200)
                .body("id", equalTo("all-minilm-l6-v2-q"))
                .body("pooling", equalTo("mean"));
    }

    @Test
    void unknownModelIdIs404() {
        given().get("/v1/models/gpt-4").then().statusCode(404).contentType(PROBLEM)
                .body("type", equalTo("https://embedrec.io/problems/model-not-found"))
                .body("detail", equalTo("no model 'gpt-4'; GET /v1/models lists them"));
    }

    // ---- bad inputs: exact status and problem body ----

    @Test
    void emptyStringIsRejected() {
        post(Map.of("input", "")).then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("https://embedrec.io/problems/invalid-input"))
                .body("title", equalTo("Invalid input"))
                .body("status", equalTo(400))
                .body("detail", equalTo("'input' must not be empty"))
                .body("instance", equalTo("/v1/embeddings"))
                .body("errors.field", equalTo(List.of("input")))
                .body("errors.message", equalTo(List.of("must not be empty")));
    }

    @Test
    void aNonStringElementIsNamedByItsIndex() {
        post("{\"input\": [\"ok\", 3]}").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("'input[1]' must be a string, not a number"))
                .body("errors.field", equalTo(List.of("input[1]")));
    }

    @Test
    void everyBadElementIsNamed() {
        post("{\"input\": [\"ok\", \"\", 3, null, [\"x\"], {\"a\": 1}, true]}").then().statusCode(400)
                .contentType(PROBLEM)
                .body("detail", equalTo("6 inputs are invalid: see 'errors'"))
                .body("errors.field", equalTo(List.of("input[1]", "input[2]", "input[3]", "input[4]", "input[5]",
                        "input[6]")))
                .body("errors.message", equalTo(List.of("must not be empty", "must be a string, not a number",
                        "must be a string, not null", "must be a string, not an array",
                        "must be a string, not an object", "must be a string, not a boolean")));
    }

    @Test
    void missingNullAndWrongShapedInputAreRejected() {
        post("{}").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("'input' is required: a string or an array of strings"));
        post("{\"input\": null}").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("'input' is required: a string or an array of strings"));
        post("{\"input\": 5}").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("'input' must be a string or an array of strings, not a number"));
        post("{\"input\": []}").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("'input' must not be an empty array"));
    }

    @Test
    void unknownModelIs400AndListsTheModels() {
        post(Map.of("input", "x", "model", "text-embedding-3-small")).then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("https://embedrec.io/problems/unknown-model"))
                .body("title", equalTo("Unknown model"))
                .body("detail", equalTo("unknown model 'text-embedding-3-small'; available: " + MODELS))
                .body("errors.field", equalTo(List.of("model")));
    }

    @Test
    void dimensionsOtherThanTheModelsAreRejected() {
        post(Map.of("input", "x", "dimensions", 256)).then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("'dimensions' must be 384 (model 'all-minilm-l6-v2' has 384 dimensions "
                        + "and cannot shorten them), not 256"))
                .body("errors.field", equalTo(List.of("dimensions")));
    }

    @Test
    void unknownEncodingFormatIsRejected() {
        post(Map.of("input", "x", "encoding_format", "int8")).then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("'encoding_format' must be 'float' or 'base64', not 'int8'"));
    }

    @Test
    void tooManyInputsAreRejected() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 2049; i++) {
            many.add("t");
        }
        post(Map.of("input", many)).then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("'input' has 2049 elements; at most 2048 per call"));
    }

    @Test
    void tooLongTextIsRejectedWithItsIndex() {
        post(Map.of("input", List.of("fine", "x".repeat(32769)))).then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("'input[1]' has 32769 characters; at most 32768"));
    }

    @Test
    void unknownFieldIsRejected() {
        post(Map.of("input", "x", "temperature", 1)).then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("https://embedrec.io/problems/malformed-body"))
                .body("detail", equalTo("unknown field 'temperature' at line 1, column 30; known fields: "
                        + "[dimensions, encoding_format, input, input_type, model, user]"));
    }
}
