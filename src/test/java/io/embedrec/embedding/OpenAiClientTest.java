package io.embedrec.embedding;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** OpenAI's own Java client, unchanged, pointed at our base URL. */
@QuarkusTest
class OpenAiClientTest {

    @TestHTTPResource("/v1")
    URL base;

    @Inject
    EmbeddingModels models;

    OpenAIClient client;

    @BeforeEach
    void connect() {
        client = OpenAIOkHttpClient.builder().baseUrl(base.toString()).apiKey("unused").maxRetries(0).build();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void embedsThroughTheOfficialClient() {
        CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("all-minilm-l6-v2")
                .inputOfArrayOfStrings(List.of("black coffee", "green tea"))
                .build());
        assertThat(r.model()).isEqualTo("all-minilm-l6-v2");
        assertThat(r.data()).hasSize(2);
        assertThat(r.usage().promptTokens()).isEqualTo(8);
        float[][] expected = models.defaultModel().embed(List.of("black coffee", "green tea"));
        for (int i = 0; i < 2; i++) {
            assertThat(r.data().get(i).index()).isEqualTo(i);
            List<Float> got = r.data().get(i).embedding();
            assertThat(got).hasSize(384);
            for (int d = 0; d < 384; d++) {
                assertThat(got.get(d)).isCloseTo(expected[i][d], within(1e-6f));
            }
        }
    }

    @Test
    void base64EncodingDecodesToTheSameVector() {
        CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("all-minilm-l6-v2")
                .input("green tea")
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64)
                .build());
        float[] expected = models.defaultModel().embed(List.of("green tea"))[0];
        List<Float> got = r.data().get(0).embedding();
        for (int d = 0; d < 384; d++) {
            assertThat(got.get(d)).isEqualTo(expected[d]);
        }
    }

    @Test
    void listsModels() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertThat(ids).containsExactly("all-minilm-l6-v2", "all-minilm-l6-v2-q", "bge-small-en-v15-q");
        assertThat(client.models().retrieve("bge-small-en-v15-q").ownedBy()).isEqualTo("embedrec");
    }

    @Test
    void anUnknownModelIsABadRequest() {
        assertThatThrownBy(() -> client.embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("x").build()))
                .isInstanceOf(BadRequestException.class);
    }
}
