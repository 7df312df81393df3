package io.embedrec.recommendation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embedrec.common.Changes;
import io.embedrec.common.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SQL of {@code rule_sets} and {@code rule_set_default}; keeps the latest version of each set and the default in
 * memory for serving, read again whenever either table changed on any instance ({@link Changes}).
 */
@ApplicationScoped
class RuleSetRepository {

    /** The latest version of every set by name, and the default's name. */
    record Snapshot(Map<String, RuleSet> latest, Optional<String> defaultName) {
    }

    private static final TypeReference<List<Rule>> RULES = new TypeReference<>() { };

    private final Jdbc jdbc;
    private final ObjectMapper json;
    private final Changes changes;
    private final Changes.Cache<Snapshot> cache;

    RuleSetRepository(Jdbc jdbc, ObjectMapper json, Changes changes) {
        this.jdbc = jdbc;
        this.json = json;
        this.changes = changes;
        this.cache = changes.cache(Changes.Topic.RULE_SETS, this::read);
    }

    /** The sets as serving sees them: from memory while current, else read (always while changes are not heard). */
    Snapshot current() {
        return cache.get();
    }

    private Snapshot read() {
        Optional<String> dflt = defaultName();
        Map<String, RuleSet> latest = new LinkedHashMap<>();
        for (RuleSet r : jdbc.query("SELECT DISTINCT ON (name) name, version, rules::text, created_at FROM rule_sets "
                + "ORDER BY name, version DESC", ps -> { }, rs -> map(rs, dflt))) {
            latest.put(r.name(), r);
        }
        return new Snapshot(Map.copyOf(latest), dflt);
    }

    List<RuleSet> versions(String name) {
        Optional<String> dflt = defaultName();
        return jdbc.query("SELECT name, version, rules::text, created_at FROM rule_sets WHERE name = ? "
                + "ORDER BY version DESC", ps -> ps.setString(1, name), rs -> map(rs, dflt));
    }

    /** Adds the next version of the named set (the first when new), in the caller's transaction. */
    RuleSet save(String name, List<Rule> rules) {
        String text;
        try {
            text = json.writeValueAsString(rules);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("checked rules could not be written", e);
        }
        // the advisory lock orders two writers of one name: each gets its own version number
        jdbc.query("SELECT pg_advisory_xact_lock(hashtext('rule_sets:' || ?))", ps -> ps.setString(1, name),
                rs -> 0);
        RuleSet saved = jdbc.queryOne("INSERT INTO rule_sets (name, version, rules) SELECT ?, "
                + "COALESCE(max(version), 0) + 1, ?::jsonb FROM rule_sets WHERE name = ? "
                + "RETURNING name, version, rules::text, created_at", ps -> {
                    ps.setString(1, name);
                    ps.setString(2, text);
                    ps.setString(3, name);
                }, rs -> map(rs, Optional.empty())).orElseThrow();
        changes.changed(Changes.Topic.RULE_SETS);
        return saved;
    }

    /** Makes the named set the default (or none), in the caller's transaction. */
    void setDefault(Optional<String> name) {
        if (name.isPresent()) {
            jdbc.update("INSERT INTO rule_set_default (name) VALUES (?) ON CONFLICT (singleton) DO UPDATE "
                    + "SET name = excluded.name", ps -> ps.setString(1, name.get()));
        } else {
            jdbc.update("DELETE FROM rule_set_default", ps -> { });
        }
        changes.changed(Changes.Topic.RULE_SETS);
    }

    /** Deletes every version of the set (and the default when it was this set); false when there was none. */
    boolean delete(String name) {
        jdbc.update("DELETE FROM rule_set_default WHERE name = ?", ps -> ps.setString(1, name));
        int n = jdbc.update("DELETE FROM rule_sets WHERE name = ?", ps -> ps.setString(1, name));
        changes.changed(Changes.Topic.RULE_SETS);
        return n > 0;
    }

    Optional<String> defaultName() {
        return jdbc.queryOne("SELECT name FROM rule_set_default", ps -> { }, rs -> rs.getString(1));
    }

    private RuleSet map(ResultSet rs, Optional<String> dflt) throws SQLException {
        List<Rule> rules;
        try {
            rules = json.readValue(rs.getString(3), RULES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored rule set " + rs.getString(1) + " is not readable", e);
        }
        String name = rs.getString(1);
        return new RuleSet(name, rs.getInt(2), rules, dflt.map(name::equals).orElse(false),
                rs.getTimestamp(4).toInstant());
    }
}
