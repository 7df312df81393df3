package io.embedrec.interaction;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.embedrec.common.EmbedrecConfig;
import io.embedrec.common.Ids;
import io.embedrec.common.InvalidInputException;
import io.embedrec.common.NdjsonReader;
import io.embedrec.common.ProblemMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Event ingestion: a JSON array, NDJSON or CSV body is streamed, checked event by event, and stored in batches,
 * each batch in one transaction with the popularity and user-vector updates it causes. Bad events are reported
 * with their position and reason; the others are kept. A replayed event id changes nothing.
 */
@ApplicationScoped
public class EventService {

    public enum Format { JSON, NDJSON, CSV }

    static final int MAX_LINE_BYTES = 64 * 1024;
    static final int MAX_REPORTED_ERRORS = 1000;

    /** An event as read, with where it was in the body. */
    private record Positioned(long position, EventRequest event, String problem) {
    }

    private final EventRepository events;
    private final UserVectorService userVectors;
    private final ObjectMapper json;
    private final ObjectReader eventReader;
    private final EmbedrecConfig config;
    private final Weights weights;
    private final Clock clock;
    private final double popHalfLifeSeconds;
    private final jakarta.enterprise.event.Event<io.embedrec.common.AnswersEngaged> answersEngaged;
    private final double trendHalfLifeSeconds;

    EventService(EventRepository events, UserVectorService userVectors, ObjectMapper json, EmbedrecConfig config,
                 jakarta.enterprise.event.Event<io.embedrec.common.AnswersEngaged> answersEngaged) {
        this.answersEngaged = answersEngaged;
        this.events = events;
        this.userVectors = userVectors;
        this.json = json.copy().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature());
        this.eventReader = this.json.readerFor(EventRequest.class);
        this.config = config;
        this.weights = new Weights(config.events().weights(), config.events().ratingCentre(),
                config.events().ratingScale(), config.events().ratingMin(), config.events().ratingMax());
        this.clock = Clock.systemUTC();
        this.popHalfLifeSeconds = config.events().popularityHalfLife().toMillis() / 1000.0;
        this.trendHalfLifeSeconds = config.merchandising().trendingHalfLife().toMillis() / 1000.0;
    }

    public Weights weights() {
        return weights;
    }

    public EventReport ingest(Format format, InputStream body) {
        Run run = new Run(format != Format.JSON);
        List<Positioned> batch = new ArrayList<>();
        int batchSize = config.events().batchSize();
        Consumer<Positioned> sink = p -> {
            run.received++;
            if (p.problem() != null) {
                run.reject(p.position(), p.event() == null ? null : p.event().id(), p.problem());
                return;
            }
            batch.add(p);
            if (batch.size() >= batchSize) {
                store(batch, run);
                batch.clear();
            }
        };
        switch (format) {
            case JSON -> readJsonArray(body, sink, run);
            case NDJSON -> readNdjson(body, sink);
            case CSV -> readCsv(body, sink, run);
        }
        store(batch, run);
        return run.report();
    }

    // ---- reading --------------------------------------------------------------------------------------------------

    private void readJsonArray(InputStream raw, Consumer<Positioned> sink, Run run) {
        ElementLimit body = new ElementLimit(raw, MAX_LINE_BYTES);
        JsonParser p;
        try {
            p = json.getFactory().createParser(body);
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new InvalidInputException("the body must be a JSON array of events (or send NDJSON with "
                        + "Content-Type application/x-ndjson)");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(ProblemMapper.describeJsonError(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long index = 0;
        while (true) {
            JsonNode node;
            try {
                body.next();
                if (p.nextToken() == JsonToken.END_ARRAY || p.currentToken() == null) {
                    return;
                }
                node = json.readTree(p);
            } catch (IOException e) {
                // the rest of the body cannot be read; what came before is kept
                run.truncatedBody(index, (tooLarge(e) ? "event " + index + " is larger than " + MAX_LINE_BYTES
                        + " bytes" : e instanceof JsonProcessingException jpe ? ProblemMapper.describeJsonError(jpe)
                        : "the body could not be read") + "; events after it were not read");
                return;
            }
            sink.accept(parse(index++, node));
        }
    }

    private void readNdjson(InputStream body, Consumer<Positioned> sink) {
        NdjsonReader reader = new NdjsonReader(body, MAX_LINE_BYTES);
        NdjsonReader.Line line;
        while ((line = reader.next()) != null) {
            if (!line.ok()) {
                sink.accept(new Positioned(line.number(), null, line.problem()));
                continue;
            }
            try {
                sink.accept(parse(line.number(), json.readTree(line.text())));
            } catch (JsonProcessingException e) {
                sink.accept(new Positioned(line.number(), null, ProblemMapper.describeJsonError(e)
                        .replace("the body", "the line").replaceAll(" at line 1, column", " at column")));
            }
        }
    }

    private static boolean tooLarge(Throwable e) {
        return ProblemMapper.chain(e).anyMatch(t -> t instanceof ElementLimit.TooLarge);
    }

    private void readCsv(InputStream raw, Consumer<Positioned> sink, Run run) {
        ElementLimit body = new ElementLimit(raw, MAX_LINE_BYTES);
        // the header is checked here, in the API's words, rather than by the parser (whose errors name its classes)
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setAllowMissingColumnNames(true).setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL)
                .setIgnoreEmptyLines(true).setTrim(true).get();
        CSVParser csv;
        try {
            csv = CSVParser.parse(new InputStreamReader(body, StandardCharsets.UTF_8), format);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            throw new InvalidInputException("the CSV header could not be read: " + csvProblem(e));
        }
        try (csv) {
            List<String> names = csv.getHeaderNames();
            Set<String> header = new HashSet<>();
            for (int c = 0; c < names.size(); c++) {
                String name = names.get(c);
                if (name == null || name.isBlank()) {
                    throw new InvalidInputException("the CSV header's column " + (c + 1) + " has no name; name "
                            + "every column (user, item, type, ...) or remove the empty one");
                }
                if (!header.add(name)) {
                    throw new InvalidInputException("the CSV header names column '" + name + "' twice");
                }
            }
            for (String needed : List.of("user", "item")) {
                if (!header.contains(needed)) {
                    throw new InvalidInputException("the CSV header must name the columns user, item, and type "
                            + "or rating (optional: id, value, timestamp, recommendation_id); found " + names);
                }
            }
            if (!header.contains("type") && !header.contains("rating")) {
                throw new InvalidInputException("the CSV header needs a 'type' or a 'rating' column");
            }
            java.util.Iterator<CSVRecord> rows = csv.iterator();
            while (true) {
                CSVRecord r;
                try {
                    body.next();
                    if (!rows.hasNext()) {
                        return;
                    }
                    r = rows.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    // the rest of the body cannot be read; the rows before it are kept
                    long line = csv.getCurrentLineNumber();
                    run.truncatedBody(line, (tooLarge(e) ? "the CSV row at line " + line + " is larger than "
                            + MAX_LINE_BYTES + " bytes" : "the CSV body is malformed at line " + line + ": "
                            + csvProblem(e)) + "; rows after it were not read");
                    return;
                }
                sink.accept(row(r, header));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CSV parser's complaint without the exception class names it wraps itself in. */
    static String csvProblem(Throwable e) {
        Throwable t = e;
        while ((t instanceof UncheckedIOException || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        String m = String.valueOf(t.getMessage()).replaceAll("([a-z]\\w*\\.)+[A-Z]\\w*(Exception|Error): ?", "")
                .replaceAll("^IOException reading next record: ", "").strip();
        return m.isEmpty() ? "it is not valid CSV" : m;
    }

    private Positioned row(CSVRecord r, Set<String> header) {
        long line = r.getParser().getCurrentLineNumber();
        String type = get(r, header, "type");
        String valueText = get(r, header, "value");
        if (type == null && get(r, header, "rating") != null) {
            type = Weights.RATING;
            valueText = get(r, header, "rating");
        }
        Double value;
        try {
            value = valueText == null ? null : Double.valueOf(valueText);
        } catch (NumberFormatException e) {
            return new Positioned(line, null, "'value' '" + valueText + "' is not a number");
        }
        String user = get(r, header, "user");
        String item = get(r, header, "item");
        String ts = get(r, header, "timestamp");
        String id = get(r, header, "id");
        if (id == null && ts != null) {
            // a log without ids: a timestamped row is its own identity, so re-importing the file changes nothing
            id = "csv:" + UUID.nameUUIDFromBytes((user + "\u0000" + item + "\u0000" + type + "\u0000"
                    + valueText + "\u0000" + ts).getBytes(StandardCharsets.UTF_8));
        } else if (id == null) {
            // no id and no time: two equal rows are two events (a second purchase is not a duplicate), so such a
            // file is new events each time it is sent
            id = "csv:" + UUID.randomUUID();
        }
        EventRequest e = new EventRequest(id, user, item, type, value, ts, get(r, header, "recommendation_id"));
        return new Positioned(line, e, check(e));
    }

    private static String get(CSVRecord r, Set<String> header, String column) {
        if (!header.contains(column) || !r.isSet(column)) {
            return null;
        }
        String v = r.get(column);
        return v == null || v.isEmpty() ? null : v;
    }

    private Positioned parse(long position, JsonNode node) {
        if (!node.isObject()) {
            return new Positioned(position, null, "an event must be a JSON object");
        }
        try {
            EventRequest e = eventReader.treeToValue(node, EventRequest.class);
            return new Positioned(position, e, check(e));
        } catch (JsonProcessingException ex) {
            String id = node.path("id").isTextual() ? node.path("id").asText() : null;
            return new Positioned(position, new EventRequest(id, null, null, null, null, null, null),
                    ProblemMapper.describeJsonError(ex).replaceAll(" at line \\d+, column \\d+", ""));
        }
    }

    /** Why an event is not acceptable, or null. The item's existence is checked against the catalog later. */
    String check(EventRequest e) {
        String p;
        if ((p = Ids.problemWith(e.id())) != null) {
            return "'id' " + p;
        }
        if ((p = Ids.problemWith(e.user())) != null) {
            return "'user' " + p;
        }
        if ((p = Ids.problemWith(e.item())) != null) {
            return "'item' " + p;
        }
        if (e.type() == null) {
            return "'type' is required";
        }
        if (!weights.known(e.type())) {
            return "unknown event type '" + e.type() + "'; known: " + knownTypes();
        }
        if (e.value() != null && !Double.isFinite(e.value())) {
            return "'value' must be a finite number";
        }
        if (Weights.RATING.equals(e.type()) && weights.weight(e.type(), e.value()).isEmpty()) {
            return "a rating needs a 'value' between " + fmt(weights.ratingMin()) + " and " + fmt(weights.ratingMax());
        }
        if (e.timestamp() != null) {
            Instant ts;
            try {
                ts = Instant.parse(e.timestamp());
            } catch (DateTimeParseException ex) {
                return "'timestamp' '" + e.timestamp() + "' is not an ISO-8601 UTC instant such as "
                        + "2026-01-31T12:00:00Z";
            }
            if (ts.isAfter(clock.instant().plus(config.events().maxFutureSkew()))) {
                return "'timestamp' " + e.timestamp() + " is in the future";
            }
            if (ts.isBefore(Instant.parse("1970-01-01T00:00:00Z"))) {
                return "'timestamp' " + e.timestamp() + " is before 1970";
            }
        }
        if (e.recommendationId() != null) {
            try {
                UUID.fromString(e.recommendationId());
            } catch (IllegalArgumentException ex) {
                return "'recommendation_id' is not an id this API issued";
            }
        }
        return null;
    }

    private List<String> knownTypes() {
        List<String> out = new ArrayList<>(config.events().weights().keySet());
        out.add(Weights.RATING);
        out.sort(null);
        return out;
    }

    /** SQLSTATE deadlock_detected. */
    private static final String DEADLOCK = "40P01";

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    // ---- storing --------------------------------------------------------------------------------------------------

    private void store(List<Positioned> batch, Run run) {
        if (batch.isEmpty()) {
            return;
        }
        List<Positioned> copy = List.copyOf(batch);
        for (int attempt = 1; ; attempt++) {
            Outcome outcome = new Outcome();
            try {
                QuarkusTransaction.requiringNew().run(() -> storeInTransaction(copy, outcome));
            } catch (RuntimeException e) {
                // a deadlock with a concurrent delete of these items or users: the batch rolled back whole, and runs
                // again (nothing of it was counted)
                if (deadlock(e) && attempt < 3) {
                    continue;
                }
                throw e;
            }
            outcome.rejected.forEach(r -> run.reject(r.position(), r.event().id(), "unknown item '"
                    + r.event().item() + "'"));
            run.accepted += outcome.accepted;
            run.duplicates += outcome.duplicates;
            return;
        }
    }

    private static boolean deadlock(Throwable e) {
        return ProblemMapper.chain(e).anyMatch(t -> t instanceof java.sql.SQLException sql
                && DEADLOCK.equals(sql.getSQLState()));
    }

    /** What one stored batch did, counted into the request's {@link Run} once its transaction has committed. */
    private static final class Outcome {
        final List<Positioned> rejected = new ArrayList<>();
        long accepted;
        long duplicates;
    }

    private void storeInTransaction(List<Positioned> batch, Outcome run) {
        Set<String> itemIds = new LinkedHashSet<>();
        batch.forEach(p -> itemIds.add(p.event().item()));
        // the items (and below, the users) are locked against deletion until this batch commits: an item deleted
        // meanwhile is either gone before the lookup (its events are rejected) or deleted after, with its events
        Map<String, Long> items = events.itemKeys(new ArrayList<>(itemIds));
        List<Positioned> known = new ArrayList<>(batch.size());
        Set<String> seenIds = new HashSet<>();
        for (Positioned p : batch) {
            if (!items.containsKey(p.event().item())) {
                run.rejected.add(p);
            } else if (!seenIds.add(p.event().id())) {
                run.duplicates++;
            } else {
                known.add(p);
            }
        }
        if (known.isEmpty()) {
            return;
        }
        Map<String, Long> users = events.userKeys(known.stream().map(p -> p.event().user()).distinct().toList());
        Instant now = clock.instant();
        List<EventRepository.NewEvent> rows = new ArrayList<>(known.size());
        for (Positioned p : known) {
            EventRequest e = p.event();
            double w = weights.weight(e.type(), e.value()).orElseThrow();
            // milliseconds, as aggregation orders by them: finer stamps would order a rebuild differently
            Instant ts = (e.timestamp() == null ? now : Instant.parse(e.timestamp()))
                    .truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            rows.add(new EventRepository.NewEvent(e.id(), users.get(e.user()), items.get(e.item()), e.type(),
                    e.value(), w, Timestamp.from(ts),
                    e.recommendationId() == null ? null : UUID.fromString(e.recommendationId())));
        }
        List<EventRepository.Stored> stored = events.insert(rows);
        List<UUID> quoted = new ArrayList<>();
        List<String> quotedTypes = new ArrayList<>();
        for (EventRepository.NewEvent r : rows) {
            if (r.recommendationId() != null) {
                quoted.add(r.recommendationId());
                quotedTypes.add(r.type());
            }
        }
        if (!quoted.isEmpty()) {
            answersEngaged.fire(new io.embedrec.common.AnswersEngaged(quoted, quotedTypes));
        }
        run.accepted += stored.size();
        run.duplicates += known.size() - stored.size();
        addPopularity(stored);
        userVectors.apply(stored);
    }

    private void addPopularity(List<EventRepository.Stored> stored) {
        // in key order: concurrent batches then lock popularity rows in the same order and never deadlock
        Map<Long, Double> logs = new java.util.TreeMap<>();
        Map<Long, Double> shortLogs = new HashMap<>();
        Map<Long, Integer> counts = new HashMap<>();
        for (EventRepository.Stored e : stored) {
            if (e.weight() <= 0) {
                continue;
            }
            logs.merge(e.itemPk(), Popularity.logContribution(e.weight(), e.tsMillis(), popHalfLifeSeconds),
                    Popularity::logSum);
            shortLogs.merge(e.itemPk(), Popularity.logContribution(e.weight(), e.tsMillis(), trendHalfLifeSeconds),
                    Popularity::logSum);
            counts.merge(e.itemPk(), 1, Integer::sum);
        }
        events.addPopularity(logs, shortLogs, counts);
    }

    /** Running counts of one request. */
    private static final class Run {
        final boolean byLine;
        final List<EventReport.EventError> errors = new ArrayList<>();
        long listed;
        long received;
        long accepted;
        long duplicates;
        long rejected;

        Run(boolean byLine) {
            this.byLine = byLine;
        }

        void reject(long position, String id, String detail) {
            rejected++;
            if (errors.size() < MAX_REPORTED_ERRORS) {
                listed++;
                errors.add(byLine ? new EventReport.EventError(null, position, id, detail)
                        : new EventReport.EventError(position, null, id, detail));
            }
        }

        /** The body stopped being readable here: counted as rejected, so a client checking that count sees it. */
        void truncatedBody(long index, String detail) {
            rejected++;
            listed++;
            errors.add(new EventReport.EventError(index, null, null, detail));
        }

        EventReport report() {
            return new EventReport(received, accepted, duplicates, rejected, List.copyOf(errors), rejected > listed);
        }
    }

}
