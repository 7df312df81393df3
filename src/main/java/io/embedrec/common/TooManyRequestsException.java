package io.embedrec.common;

/** The client asks more than this service takes at once (429); it may retry after the given seconds. */
public class TooManyRequestsException extends ProblemException {

    private final long retryAfterSeconds;

    public TooManyRequestsException(String detail, long retryAfterSeconds) {
        super(detail);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public int status() {
        return 429;
    }

    @Override
    public String slug() {
        return "too-many-requests";
    }

    @Override
    public String title() {
        return "Too many requests";
    }

    @Override
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
