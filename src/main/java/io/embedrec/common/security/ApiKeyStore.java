package io.embedrec.common.security;

import io.embedrec.common.Changes;
import io.embedrec.common.Jdbc;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API keys created at run time; owns {@code api_keys}. Only a SHA-256 of each key is stored (keys are 256 random
 * bits, so a fast hash is enough). Requests are checked against an in-memory copy of the active keys, reloaded when
 * the table announces a change ({@link Changes}: a key created or revoked on another instance, or in psql, works or
 * stops working here within milliseconds; on this one at once) and every {@value #REFRESH} in any case; the time
 * each key was last used is written back at that pace.
 */
@ApplicationScoped
public class ApiKeyStore {

    private static final Logger LOG = Logger.getLogger(ApiKeyStore.class);
    static final String REFRESH = "5s";
    /** What every created key starts with, so a leaked one is recognisable (secret scanners, logs). */
    static final String KEY_PREFIX = "erk_";

    /** An active key as the filter knows it. */
    public record Active(UUID id, Scope scope) {
    }

    /** A key as listed: never the key itself. */
    public record Listed(UUID id, String name, String prefix, String scope, Instant createdAt, Instant lastUsedAt,
                         Instant revokedAt) {
    }

    private final Jdbc jdbc;
    private final SecureRandom random = new SecureRandom();
    private volatile Map<String, Active> active = Map.of();
    private final Map<UUID, Instant> used = new ConcurrentHashMap<>();

    private final Changes changes;

    ApiKeyStore(Jdbc jdbc, Changes changes) {
        this.jdbc = jdbc;
        this.changes = changes;
    }

    /**
     * Loaded before the first request (until then a key created earlier would not yet count), and again whenever
     * a key is created, revoked or re-scoped on any instance (the table's notification).
     */
    void onStart(@Observes @Priority(10) StartupEvent ev) {
        changes.onChange(Changes.Topic.API_KEYS, this::reload);
        refresh();
    }

    /** Creates a key; the returned key is the only time it is ever shown. */
    public String create(UUID id, String name, Scope scope) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        jdbc.update("INSERT INTO api_keys (id, name, prefix, hash, scope) VALUES (?, ?, ?, ?, ?)", ps -> {
            ps.setObject(1, id);
            ps.setString(2, name);
            ps.setString(3, key.substring(0, KEY_PREFIX.length() + 6));
            ps.setBytes(4, sha256(key));
            ps.setString(5, scope.wire());
        });
        return key;
    }

    public List<Listed> list() {
        return jdbc.query("SELECT id, name, prefix, scope, created_at, last_used_at, revoked_at FROM api_keys "
                + "ORDER BY created_at, id", ps -> { }, rs -> new Listed((UUID) rs.getObject(1), rs.getString(2),
                rs.getString(3), rs.getString(4), instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)),
                instant(rs.getTimestamp(7))));
    }

    public Optional<Listed> find(UUID id) {
        return list().stream().filter(k -> k.id().equals(id)).findFirst();
    }

    /** Revokes a key; false when there is no such key. Revoking twice keeps the first time. */
    public boolean revoke(UUID id) {
        return jdbc.update("UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = ?",
                ps -> ps.setObject(1, id)) > 0;
    }

    /** The active key matching the presented one, if any; notes its use. No database access. */
    public Optional<Active> match(String presented) {
        Active a = active.get(HexFormat.of().formatHex(sha256(presented)));
        if (a != null) {
            used.put(a.id(), Instant.now());
        }
        return Optional.ofNullable(a);
    }

    /** Whether any key created at run time is active (then the API needs keys even if none is configured). */
    public boolean any() {
        return !active.isEmpty();
    }

    /** Reloads the active keys and writes back when keys were last used. */
    @Scheduled(every = REFRESH, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void refresh() {
        try {
            Map<UUID, Instant> batch = Map.copyOf(used);
            batch.forEach(used::remove);
            if (!batch.isEmpty()) {
                UUID[] ids = batch.keySet().toArray(UUID[]::new);
                Timestamp[] at = java.util.Arrays.stream(ids).map(id -> Timestamp.from(batch.get(id)))
                        .toArray(Timestamp[]::new);
                jdbc.update("UPDATE api_keys k SET last_used_at = greatest(k.last_used_at, u.at) FROM "
                        + "unnest(?::uuid[], ?::timestamptz[]) AS u(id, at) WHERE k.id = u.id", ps -> {
                            ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids));
                            ps.setArray(2, ps.getConnection().createArrayOf("timestamptz", at));
                        });
            }
            reload();
        } catch (RuntimeException e) {
            // the database is away: the keys known so far keep working until it is back
            LOG.debugf("API keys not refreshed: %s", e.getMessage());
        }
    }

    /** Reads the active keys. */
    private void reload() {
        Map<String, Active> fresh = new ConcurrentHashMap<>();
        jdbc.query("SELECT hash, id, scope FROM api_keys WHERE revoked_at IS NULL", ps -> { },
                rs -> fresh.put(HexFormat.of().formatHex(rs.getBytes(1)), new Active((UUID) rs.getObject(2),
                        Scope.parse(rs.getString(3)).orElseThrow())));
        active = Map.copyOf(fresh);
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
