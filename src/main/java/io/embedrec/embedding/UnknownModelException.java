package io.embedrec.embedding;

import io.embedrec.common.ProblemException;

import java.util.Collection;
import java.util.List;

/** A request named a model that is not configured (400; the problem lists the models there are). */
public class UnknownModelException extends ProblemException {

    public UnknownModelException(String name, Collection<String> available) {
        super("unknown model '" + name + "'; available: " + String.join(", ", available),
                List.of(new FieldError("model", "is not one of " + String.join(", ", available))));
    }

    @Override
    public int status() {
        return 400;
    }

    @Override
    public String slug() {
        return "unknown-model";
    }

    @Override
    public String title() {
        return "Unknown model";
    }
}
