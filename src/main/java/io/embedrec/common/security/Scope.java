package io.embedrec.common.security;

import java.util.Locale;
import java.util.Optional;

/** What a key may do; each scope includes the ones before it: read ⊂ write ⊂ admin. */
public enum Scope {
    READ, WRITE, ADMIN;

    public boolean includes(Scope other) {
        return compareTo(other) >= 0;
    }

    public static Optional<Scope> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(s.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
