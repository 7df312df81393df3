package io.embedrec.common;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Optional;

/** A page of a list response: {@code {items: [...], next?}} where {@code next} is an opaque cursor. */
public record Page<T>(List<T> items, @JsonInclude(JsonInclude.Include.NON_NULL) String next) {

    public static <T> Page<T> of(List<T> items, Optional<String> next) {
        return new Page<>(items, next.orElse(null));
    }
}
