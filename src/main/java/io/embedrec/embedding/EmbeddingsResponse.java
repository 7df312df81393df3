package io.embedrec.embedding;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The answer of {@code POST /v1/embeddings}, in OpenAI's shape, plus {@code truncated}: the indices of inputs that
 * were longer than the model's max tokens and were cut (absent when none was).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record EmbeddingsResponse(String object, List<Datum> data, String model, Usage usage, List<Integer> truncated) {

    static EmbeddingsResponse of(EmbeddingService.Embedded e) {
        float[][] vectors = e.result().vectors();
        List<Datum> data = new ArrayList<>(vectors.length);
        List<Integer> truncated = new ArrayList<>();
        for (int i = 0; i < vectors.length; i++) {
            data.add(new Datum("embedding", i, e.base64() ? base64(vectors[i]) : vectors[i]));
            if (e.result().cut()[i]) {
                truncated.add(i);
            }
        }
        long tokens = e.result().tokens();
        return new EmbeddingsResponse("list", data, e.model().name(), new Usage(tokens, tokens), truncated);
    }

    /** OpenAI's base64 format: the float32 values, little-endian, base64-encoded. */
    static String base64(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(b.array());
    }

    /** One input's vector: an array of floats, or a base64 string of little-endian float32 values. */
    public record Datum(String object, int index,
                        @Schema(oneOf = {float[].class, String.class}) Object embedding) {
    }

    /** Tokens fed to the model (special tokens included, after truncation). */
    public record Usage(long promptTokens, long totalTokens) {
    }
}
