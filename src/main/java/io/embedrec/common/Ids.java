package io.embedrec.common;

/** Rules for the client's ids (items, users, events): 1–256 characters, no slash, no control characters. */
public final class Ids {

    public static final int MAX_LENGTH = 256;

    private Ids() {
    }

    /** Why {@code id} is not acceptable, or {@code null} when it is. */
    public static String problemWith(String id) {
        if (id == null || id.isEmpty()) {
            return "must not be empty";
        }
        if (id.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters (got " + id.length() + ")";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '/') {
                return "must not contain '/'";
            }
            if (Character.isISOControl(c)) {
                return "must not contain control characters (found U+%04X at position %d)".formatted((int) c, i);
            }
        }
        if (id.isBlank()) {
            return "must not be blank";
        }
        return null;
    }

    /** Throws a 400 naming {@code what} when {@code id} breaks the rules. */
    public static String require(String what, String id) {
        String problem = problemWith(id);
        if (problem != null) {
            throw new InvalidInputException(what + " " + problem,
                    java.util.List.of(new ProblemException.FieldError(what, problem)));
        }
        return id;
    }
}
