package io.embedrec.interaction;

/** One event as a client sends it (a JSON array element, an NDJSON line or a CSV row). */
public record EventRequest(String id, String user, String item, String type, Double value, String timestamp,
                           String recommendationId) {
}
