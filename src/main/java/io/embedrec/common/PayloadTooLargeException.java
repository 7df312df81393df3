package io.embedrec.common;

/** The body is larger than the configured limit for this kind of request (413). */
public class PayloadTooLargeException extends ProblemException {

    public PayloadTooLargeException(String detail) {
        super(detail);
    }

    @Override
    public int status() {
        return 413;
    }

    @Override
    public String slug() {
        return "payload-too-large";
    }

    @Override
    public String title() {
        return "Payload too large";
    }
}
