package io.embedrec.common.security;

import java.util.Optional;

/**
 * Which scope a call needs, from its method and path alone, so that no endpoint can be forgotten: reads (GET, search,
 * feeds, recommend, embeddings) need {@code read}; jobs, spaces, models and evaluations need {@code admin} for any
 * change, as do rules and experiments; API keys ({@code /v1/keys}) for any call; every other change (items, events, users) needs {@code write}. Paths outside {@code /v1} are open.
 */
public final class AccessPolicy {

    private AccessPolicy() {
    }

    public static Optional<Scope> required(String method, String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        if (!(p.equals("/v1") || p.startsWith("/v1/"))) {
            return Optional.empty();
        }
        String m = method.toUpperCase(java.util.Locale.ROOT);
        if (p.equals("/v1/keys") || p.startsWith("/v1/keys/")) {
            return Optional.of(Scope.ADMIN); // even listing keys is for admins
        }
        if (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")) {
            return Optional.of(Scope.READ);
        }
        if (isReadOnlyPost(p)) {
            return Optional.of(Scope.READ);
        }
        if (p.startsWith("/v1/jobs") || p.startsWith("/v1/spaces") || p.startsWith("/v1/models")
                || p.startsWith("/v1/evaluations") || p.startsWith("/v1/maps") || p.startsWith("/v1/keys")
                || p.startsWith("/v1/rules") || p.startsWith("/v1/experiments")) {
            return Optional.of(Scope.ADMIN);
        }
        return Optional.of(Scope.WRITE);
    }

    private static boolean isReadOnlyPost(String p) {
        return p.equals("/v1/search") || p.equals("/v1/recommend") || p.equals("/v1/embeddings");
    }
}
