package io.embedrec.recommendation;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embedrec.common.InvalidInputException;
import io.embedrec.common.NotFoundProblem;
import io.embedrec.common.ProblemException.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Saved rule sets (named, versioned, one default) and the rules a request runs with: those it gives inline, the
 * latest version of the set it names, else the default set; {@code none} names no rules at all.
 */
@ApplicationScoped
public class RuleSets {

    /** The body of {@code PUT /v1/rules/{name}}. */
    public record Request(List<Rule> rules, @JsonProperty("default") Boolean makeDefault) {
    }

    /** The rules one answer runs with, and how they are named in it ({@code promo@3}, {@code inline}). */
    record Applied(String label, List<Rule> rules) {
        static final Applied NONE = new Applied(null, List.of());

        boolean reorders() {
            return rules.stream().anyMatch(r -> r.kind() == Rule.Effect.BOOST || r.kind() == Rule.Effect.BURY);
        }

        boolean pins() {
            return rules.stream().anyMatch(r -> r.kind() == Rule.Effect.PIN);
        }

        List<Rule> of(Rule.Effect effect) {
            return rules.stream().filter(r -> r.kind() == effect).toList();
        }
    }

    /** No rule set has this name (404). */
    static final class NotFound extends NotFoundProblem {
        NotFound(String detail) {
            super("rule set", detail);
        }
    }

    static final String NONE = "none";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final RuleSetRepository repository;
    private final ObjectMapper json;

    RuleSets(RuleSetRepository repository, ObjectMapper json) {
        this.repository = repository;
        this.json = json;
    }

    /** The rules of a query parameter {@code rules=<name>}: absent → the default set, {@code none} → none. */
    Applied named(Optional<String> name) {
        RuleSetRepository.Snapshot s = repository.current();
        if (name.isEmpty() || name.get().isBlank()) {
            return s.defaultName().map(d -> applied(s.latest().get(d))).orElse(Applied.NONE);
        }
        if (name.get().equals(NONE)) {
            return Applied.NONE;
        }
        RuleSet set = s.latest().get(name.get());
        if (set == null) {
            throw new InvalidInputException("rules: no rule set is named '" + name.get() + "'; see GET /v1/rules",
                    List.of(new FieldError("rules", "no rule set is named '" + name.get() + "'")));
        }
        return applied(set);
    }

    boolean exists(String name) {
        return repository.current().latest().containsKey(name);
    }

    /** The rules of a JSON body's {@code rules}: a set's name, or the rules themselves; absent → the default set. */
    Applied fromBody(JsonNode rules) {
        if (rules == null || rules.isNull()) {
            return named(Optional.empty());
        }
        if (rules.isTextual()) {
            return named(Optional.of(rules.asText()));
        }
        if (!rules.isArray()) {
            throw new InvalidInputException("rules must be a rule set's name or a list of rules",
                    List.of(new FieldError("rules", "must be a rule set's name or a list of rules")));
        }
        List<Rule> list = new ArrayList<>();
        for (JsonNode r : rules) {
            try {
                list.add(json.treeToValue(r, Rule.class));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new InvalidInputException("rules[" + list.size() + "]: "
                        + io.embedrec.common.ProblemMapper.describeJsonError(e).replace("the body", "the rule"),
                        List.of(new FieldError("rules[" + list.size() + "]", "is not a rule")));
            }
        }
        return new Applied("inline", check(list, "rules"));
    }

    private static Applied applied(RuleSet set) {
        return set == null ? Applied.NONE : new Applied(set.name() + "@" + set.version(), set.rules());
    }

    static List<Rule> check(List<Rule> rules, String prefix) {
        List<FieldError> errors = Rule.problems(rules == null ? List.of() : rules, prefix);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors.size() == 1 ? "'" + errors.get(0).field() + "' "
                    + errors.get(0).message() : errors.size() + " fields are invalid: see 'errors'", errors);
        }
        return rules == null ? List.of() : rules;
    }

    // --- administration

    /** The outcome of a PUT: the saved version and whether the name is new. */
    record Saved(RuleSet set, boolean created) {
    }

    @Transactional
    Saved put(String name, Request body) {
        checkName(name);
        if (body == null || body.rules() == null) {
            throw new InvalidInputException("send {\"rules\": [...]} (and \"default\": true to apply the set to "
                    + "requests that name none)", List.of(new FieldError("rules", "is required")));
        }
        List<Rule> rules = check(body.rules(), "rules");
        RuleSet saved = repository.save(name, rules);
        if (Boolean.TRUE.equals(body.makeDefault())) {
            repository.setDefault(Optional.of(name));
        } else if (Boolean.FALSE.equals(body.makeDefault())
                && repository.defaultName().filter(name::equals).isPresent()) {
            repository.setDefault(Optional.empty());
        }
        boolean isDefault = repository.defaultName().filter(name::equals).isPresent();
        return new Saved(new RuleSet(saved.name(), saved.version(), saved.rules(), isDefault, saved.createdAt()),
                saved.version() == 1);
    }

    List<RuleSet> list() {
        return List.copyOf(repository.current().latest().values()).stream()
                .sorted(java.util.Comparator.comparing(RuleSet::name)).toList();
    }

    RuleSet get(String name, Integer version) {
        List<RuleSet> versions = versions(name);
        if (version == null) {
            return versions.get(0);
        }
        return versions.stream().filter(v -> v.version() == version).findFirst().orElseThrow(() ->
                new NotFound("rule set '" + name + "' has no version " + version + " (latest: "
                        + versions.get(0).version() + ")"));
    }

    List<RuleSet> versions(String name) {
        List<RuleSet> versions = repository.versions(name);
        if (versions.isEmpty()) {
            throw new NotFound("no rule set is named '" + name + "'");
        }
        return versions;
    }

    @Transactional
    void delete(String name) {
        if (!repository.delete(name)) {
            throw new NotFound("no rule set is named '" + name + "'");
        }
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.equals(NONE)) {
            throw new InvalidInputException("a rule set's name is 1–64 letters, digits, '-', '_' or '.', and not "
                    + "'none' (got '" + name + "')", List.of(new FieldError("name", "1–64 letters, digits, '-', "
                    + "'_' or '.', not 'none'")));
        }
    }
}
