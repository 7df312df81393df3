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

/**
 * Checks {@code Authorization: Bearer <key>} against the configured keys ({@code embedrec.security.keys}) and the
 * ones created at run time ({@link ApiKeyStore}), then the key's rate limit. While neither exists the API is open.
 * Keys are never logged.
 */
@ApplicationScoped
public class ApiKeyFilter {

    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);

    private final Map<String, Scope> keys = new HashMap<>();
    private final Map<String, String> identities = new HashMap<>();
    private final ApiKeyStore store;
    private final RateLimiter limiter;

    ApiKeyFilter(EmbedrecConfig config, ApiKeyStore store, RateLimiter limiter) {
        this.store = store;
        this.limiter = limiter;
        config.security().keys().forEach((key, scope) -> {
            keys.put(key, Scope.parse(scope).orElseThrow(() -> new IllegalArgumentException(
                    "embedrec.security.keys: scope '" + scope + "' is not one of read, write, admin (key not shown)")));
            identities.put(key, "configured:" + java.util.HexFormat.of().formatHex(ApiKeyStore.sha256(key)));
        });
    }

    void onStart(@Observes StartupEvent ev) {
        if (keys.isEmpty() && !store.any()) {
            LOG.warn("No API keys (embedrec.security.keys, POST /v1/keys): the /v1 API is OPEN to anyone who can "
                    + "reach this port. Set or create keys before exposing the service.");
        } else {
            LOG.infof("API keys required on /v1 (%d configured, others managed with /v1/keys)", keys.size());
        }
    }

    @ServerRequestFilter(preMatching = true)
    public void check(ContainerRequestContext ctx) {
        if (keys.isEmpty() && !store.any()) {
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
        String presented = header.substring(7).trim();
        String configured = lookup(presented);
        Scope scope;
        String identity;
        if (configured != null) {
            scope = keys.get(configured);
            identity = identities.get(configured);
        } else {
            ApiKeyStore.Active created = store.match(presented).orElseThrow(() ->
                    new AuthenticationRequiredException("the API key is not valid"));
            scope = created.scope();
            identity = "created:" + created.id();
        }
        if (!scope.includes(needed.get())) {
            throw new InsufficientScopeException("this call needs scope '" + needed.get().wire() + "'; the key has '"
                    + scope.wire() + "'");
        }
        limiter.take(identity, scope);
    }

    /** The configured key equal to the presented one, compared in constant time against every key. */
    private String lookup(String presented) {
        byte[] p = presented.getBytes(StandardCharsets.UTF_8);
        String found = null;
        for (String key : keys.keySet()) {
            if (MessageDigest.isEqual(p, key.getBytes(StandardCharsets.UTF_8))) {
                found = key;
            }
        }
        return found;
    }
}
