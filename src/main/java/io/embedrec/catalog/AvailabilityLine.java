package io.embedrec.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.embedrec.common.Ids;
import io.embedrec.common.NdjsonReader;
import io.embedrec.common.ProblemMapper;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

/**
 * One line of an availability update. Read as a tree rather than bound to a record: a window end given as null
 * (clear it) must be told from one left out (keep it).
 */
final class AvailabilityLine {

    /** Where a bad line goes: its number, the id when one was read, and what is wrong. */
    interface Rejects {
        void reject(long line, String id, String detail);
    }

    private static final Set<String> FIELDS = Set.of("id", "available", "available_from", "available_until");

    private AvailabilityLine() {
    }

    /** The change on this line, or null after reporting why it has none. */
    static Availability parse(NdjsonReader.Line line, ObjectReader reader, Rejects rejects) {
        if (!line.ok()) {
            rejects.reject(line.number(), null, line.problem());
            return null;
        }
        JsonNode node;
        try {
            node = reader.readTree(line.text());
        } catch (JsonProcessingException e) {
            rejects.reject(line.number(), null, describe(e));
            return null;
        }
        if (node == null || !node.isObject()) {
            rejects.reject(line.number(), null, "expected an object such as {\"id\": \"sku-1\", \"available\": false}");
            return null;
        }
        String id = node.path("id").isTextual() ? node.get("id").asText() : null;
        String idProblem = node.has("id") && id == null ? "must be a string" : Ids.problemWith(id);
        if (idProblem != null) {
            rejects.reject(line.number(), id, "'id' " + idProblem);
            return null;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                rejects.reject(line.number(), id, "'" + name + "' is not a field of an availability change; "
                        + "expected available, available_from, available_until");
                return null;
            }
        }
        JsonNode available = node.get("available");
        if (available != null && !available.isBoolean()) {
            rejects.reject(line.number(), id, "'available' must be true or false");
            return null;
        }
        Instant from;
        Instant until;
        try {
            from = instant(node, "available_from");
            until = instant(node, "available_until");
        } catch (IllegalArgumentException e) {
            rejects.reject(line.number(), id, e.getMessage());
            return null;
        }
        Availability change = new Availability(id, available == null ? null : available.booleanValue(),
                node.has("available_from"), from, node.has("available_until"), until);
        String problem = change.problem();
        if (problem != null) {
            rejects.reject(line.number(), id, problem);
            return null;
        }
        return change;
    }

    /** What is wrong with an NDJSON line that is not JSON (or not the JSON expected), in a line's words. */
    static String describe(JsonProcessingException e) {
        return ProblemMapper.describeJsonError(e).replace("the body", "the line")
                .replaceAll(" at line 1, column", " at column");
    }

    private static Instant instant(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be an ISO-8601 time such as "
                    + "\"2026-12-24T00:00:00Z\", or null to clear it");
        }
        try {
            return OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + field + "' is not an ISO-8601 time with an offset, such as "
                    + "\"2026-12-24T00:00:00Z\" (got \"" + v.asText() + "\")");
        }
    }
}
