package io.embedrec.embedding;

/** A configured model could not be loaded; thrown at start-up so the server does not start with a broken model. */
public class ModelLoadException extends RuntimeException {

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
