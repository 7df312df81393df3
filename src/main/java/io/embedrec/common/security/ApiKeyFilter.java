package io.embedrec.common.security;

import io.embedrec.common.EmbedrecConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Checks {@code Authorization: Bearer <key>} against {@code embedrec.security.keys}. Keys are never logged. */
@ApplicationScoped
public class ApiKeyFilter {

    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);

    private final Map<String, Scope> keys = new HashMap<>();

    ApiKeyFilter(EmbedrecConfig config) {
        config.security().keys().forEach((key, scope) -> keys.put(key, Scope.parse(scope).orElseThrow(() ->
                new IllegalArgumentException("embedrec.security.keys: scope '" + scope
                        + "' is not one of read, write, admin (key not shown)"))));
    }

    void onStart(@Observes StartupEvent ev) {
        if (keys.isEmpty()) {
            LOG.warn("No API keys configured (embedrec.security.keys): the /v1 API is OPEN to anyone who can reach "
                    + "this port. Set keys before exposing the service.");
        } else {
            LOG.infof("API keys required on /v1 (%d key(s) configured)", keys.size());
        }
    }

    @ServerRequestFilter(preMatching = true)
    public void check(ContainerRequestContext ctx) {
        if (keys.isEmpty()) {
            return;
        }
        Optional<Scope> needed = AccessPolicy.required(ctx.getMethod(), ctx.getUriInfo().getPath());
        if (needed.isEmpty()) {
            return;
        }
        String header = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            throw new AuthenticationRequiredException("this call needs an API key with scope '" + needed.get().wire()
                    + "': send 'Authorization: Bearer <key>'");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new AuthenticationRequiredException("the Authorization header must be 'Bearer <key>'");
        }
        Scope scope = lookup(header.substring(7).trim());
        if (scope == null) {
            throw new AuthenticationRequiredException("the API key is not valid");
        }
        if (!scope.includes(needed.get())) {
            throw new InsufficientScopeException("this call needs scope '" + needed.get().wire() + "'; the key has '"
                    + scope.wire() + "'");
        }
    }

    /** Constant-time comparison against every key, so timing does not reveal a key's prefix. */
    private Scope lookup(String presented) {
        byte[] p = presented.getBytes(StandardCharsets.UTF_8);
        Scope found = null;
        for (Map.Entry<String, Scope> e : keys.entrySet()) {
            if (MessageDigest.isEqual(p, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                found = e.getValue();
            }
        }
        return found;
    }
}
