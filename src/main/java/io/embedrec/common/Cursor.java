package io.embedrec.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Opaque keyset-pagination cursors: the last key of a page, base64url-encoded. */
public final class Cursor {

    private Cursor() {
    }

    public static String encode(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
    }

    /** The key a cursor stands for; a cursor we did not issue is a 400. */
    public static Optional<String> decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Optional.empty();
        }
        try {
            String key = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (key.indexOf('\0') >= 0) {
                // no key this API issues holds a NUL (nor can Postgres compare one)
                throw new IllegalArgumentException("not a key");
            }
            return Optional.of(key);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("cursor '" + abbreviate(cursor) + "' is not a cursor this API issued; "
                    + "pass the 'next' value of the previous page unchanged");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
