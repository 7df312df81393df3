package io.embedrec.embedding;

import com.fasterxml.jackson.databind.JsonNode;
import io.embedrec.common.InvalidInputException;
import io.embedrec.common.ProblemException.FieldError;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/embeddings}, as OpenAI's embeddings API takes it. {@code input} is kept as JSON so that a bad
 * element is reported with its index instead of as an unreadable body.
 *
 * @param input          a string or an array of strings
 * @param model          model name; the default model when absent
 * @param encodingFormat {@code float} (default) or {@code base64} (little-endian float32)
 * @param dimensions     accepted only when equal to the model's dimensions
 * @param user           accepted for compatibility and ignored
 * @param inputType      {@code document} (default) or {@code query}: which of the model's prefixes applies
 */
public record EmbeddingsRequest(
        @Schema(description = "A string or an array of strings", oneOf = {String.class, String[].class})
        JsonNode input,
        String model,
        @Schema(enumeration = {"float", "base64"}) String encodingFormat,
        Integer dimensions,
        String user,
        @Schema(enumeration = {"document", "query"}) String inputType) {

    /** The input texts, checked: an array of 1..maxInputs non-empty strings of at most maxChars characters. */
    List<String> texts(int maxInputs, int maxChars) {
        if (input == null || input.isNull() || input.isMissingNode()) {
            throw invalid("input", "is required: a string or an array of strings");
        }
        if (input.isTextual()) {
            checkText("input", input.textValue(), maxChars);
            return List.of(input.textValue());
        }
        if (!input.isArray()) {
            throw invalid("input", "must be a string or an array of strings, not " + kind(input));
        }
        if (input.isEmpty()) {
            throw invalid("input", "must not be an empty array");
        }
        if (input.size() > maxInputs) {
            throw invalid("input", "has " + input.size() + " elements; at most " + maxInputs + " per call");
        }
        List<String> texts = new ArrayList<>(input.size());
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            JsonNode e = input.get(i);
            String field = "input[" + i + "]";
            if (!e.isTextual()) {
                errors.add(new FieldError(field, "must be a string, not " + kind(e)));
                continue;
            }
            String problem = textProblem(e.textValue(), maxChars);
            if (problem != null) {
                errors.add(new FieldError(field, problem));
                continue;
            }
            texts.add(e.textValue());
        }
        if (errors.size() == 1) {
            throw new InvalidInputException("'" + errors.get(0).field() + "' " + errors.get(0).message(), errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors.size() + " inputs are invalid: see 'errors'", errors);
        }
        return texts;
    }

    private static void checkText(String field, String text, int maxChars) {
        String problem = textProblem(text, maxChars);
        if (problem != null) {
            throw invalid(field, problem);
        }
    }

    private static String textProblem(String text, int maxChars) {
        if (text.isEmpty()) {
            return "must not be empty";
        }
        if (text.length() > maxChars) {
            return "has " + text.length() + " characters; at most " + maxChars;
        }
        return null;
    }

    private static String kind(JsonNode n) {
        if (n.isNull()) {
            return "null";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isObject()) {
            return "an object";
        }
        return "a " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    static InvalidInputException invalid(String field, String message) {
        return new InvalidInputException("'" + field + "' " + message, List.of(new FieldError(field, message)));
    }
}
