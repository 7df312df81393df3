package io.embedrec.common;

import java.util.List;

/**
 * Base of the named errors the core throws. The problem mapper turns each into an RFC 9457
 * {@code application/problem+json} answer; the message is the {@code detail} a person reads.
 */
public abstract class ProblemException extends RuntimeException {

    private final transient List<FieldError> errors;

    protected ProblemException(String detail) {
        this(detail, List.of());
    }

    protected ProblemException(String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.errors = List.copyOf(errors);
    }

    /** HTTP status of the answer. */
    public abstract int status();

    /** Short, stable slug naming the kind of problem; becomes the {@code type} URI. */
    public abstract String slug();

    /** Seconds the client should wait before retrying (a Retry-After header), or -1 for none. */
    public long retryAfterSeconds() {
        return -1;
    }

    /** Human title, the same for every occurrence of this kind. */
    public abstract String title();

    public List<FieldError> errors() {
        return errors;
    }

    /** One failing field (a JSON pointer-ish path such as {@code categories[3]}) and what is wrong with it. */
    public record FieldError(String field, String message) {
    }
}
