package io.embedrec.common;

/** The thing exists but is in the wrong state for this request (409), with a slug and title of its kind. */
public class ConflictProblem extends ProblemException {

    private final String slug;
    private final String title;

    protected ConflictProblem(String slug, String title, String detail) {
        super(detail);
        this.slug = slug;
        this.title = title;
    }

    @Override
    public int status() {
        return 409;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public String title() {
        return title;
    }
}
