package io.embedrec.recommendation;

import java.time.Instant;
import java.util.List;

/** A saved version of a named rule set, and whether its name is the default set. */
public record RuleSet(String name, int version, List<Rule> rules, boolean isDefault, Instant createdAt) {
}
