package io.embedrec.common;

/** A named thing that does not exist (404): type {@code <kind>-not-found}, title "<Kind> not found". */
public class NotFoundProblem extends ProblemException {

    private final String kind;

    protected NotFoundProblem(String kind, String detail) {
        super(detail);
        this.kind = kind;
    }

    @Override
    public int status() {
        return 404;
    }

    @Override
    public String slug() {
        return kind.toLowerCase(java.util.Locale.ROOT).replace(' ', '-') + "-not-found";
    }

    @Override
    public String title() {
        return Character.toUpperCase(kind.charAt(0)) + kind.substring(1) + " not found";
    }
}
