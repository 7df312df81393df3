package io.embedrec.common;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** An RFC 9457 problem document, with {@code errors} for field violations. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<ProblemException.FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_BASE = "https://embedrec.io/problems/";

    public static Problem of(int status, String slug, String title, String detail, String instance,
                             List<ProblemException.FieldError> errors) {
        return new Problem(TYPE_BASE + slug, title, status, detail, instance, errors);
    }
}
