package io.embedrec.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.embedrec.common.Cursor;
import io.embedrec.common.EmbedrecConfig;
import io.embedrec.common.Ids;
import io.embedrec.common.InvalidInputException;
import io.embedrec.common.ItemsChanged;
import io.embedrec.common.ItemsDeleting;
import io.embedrec.common.NdjsonReader;
import io.embedrec.common.Page;
import io.embedrec.common.ProblemException.FieldError;
import io.embedrec.common.ProblemMapper;
import io.embedrec.space.SpaceService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Catalog use cases: create/replace, read, list, delete and bulk import of items. */
@ApplicationScoped
public class CatalogService {

    /** A line holds one item; descriptions of 100,000 characters fit with room for JSON escapes. */
    static final int MAX_IMPORT_LINE_BYTES = 4 * 1024 * 1024;
    static final int MAX_PAGE = 1000;

    private final ItemRepository items;
    private final Validator validator;
    private final ObjectReader itemReader;
    private final ObjectReader availabilityReader;
    private final EmbedrecConfig config;
    private final Event<ItemsChanged> itemsChanged;
    private final SpaceService spaces;
    private final Event<ItemsDeleting> itemsDeleting;

    CatalogService(ItemRepository items, Validator validator, ObjectMapper json, EmbedrecConfig config,
                   Event<ItemsChanged> itemsChanged, SpaceService spaces, Event<ItemsDeleting> itemsDeleting) {
        this.itemsDeleting = itemsDeleting;
        this.spaces = spaces;
        this.items = items;
        this.itemsChanged = itemsChanged;
        this.validator = validator;
        this.itemReader = json.readerFor(ItemRequest.class);
        this.availabilityReader = json.reader();
        this.config = config;
    }

    /** The outcome of a PUT: the stored item and whether it was new. */
    public record PutResult(ItemResponse item, boolean created) {
    }

    @Transactional
    public PutResult put(String id, ItemRequest request) {
        Ids.require("id", id);
        if (request == null) {
            throw new InvalidInputException("the body is empty; send the item as JSON: {\"title\": ..., ...}");
        }
        if (request.id() != null && !request.id().equals(id)) {
            throw new InvalidInputException("the body's id '" + request.id() + "' differs from the path's id '" + id
                    + "'; omit it or make them equal", List.of(new FieldError("id", "differs from the path")));
        }
        List<FieldError> errors = validate(request);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors.size() == 1 ? "'" + errors.get(0).field() + "' "
                    + errors.get(0).message() : errors.size() + " fields are invalid: see 'errors'", errors);
        }
        Map<String, ItemRepository.Upserted> changed = write(List.of(request.normalised(id)));
        boolean created = changed.containsKey(id) && changed.get(id).created();
        Item stored = items.findByExternalId(id).orElseThrow(() -> new ItemNotFoundException(id));
        return new PutResult(ItemResponse.of(stored), created);
    }

    /** The item with its vector status in every space. */
    public ItemResponse get(String id) {
        Item item = items.findByExternalId(id).orElseThrow(() -> new ItemNotFoundException(id));
        Map<String, ItemResponse.VectorStatus> status = new java.util.LinkedHashMap<>();
        for (var s : spaces.vectorStates(item.pk)) {
            status.put(s.space(), new ItemResponse.VectorStatus(s.state().name().toLowerCase(java.util.Locale.ROOT),
                    s.reason()));
        }
        return ItemResponse.of(item).withVectors(status);
    }

    public Page<ItemResponse> list(Integer limit, String cursor, List<String> categories) {
        int n = limit == null ? config.catalog().defaultPageSize() : limit;
        if (n < 1 || n > MAX_PAGE) {
            throw new InvalidInputException("limit must be between 1 and " + MAX_PAGE + " (got " + n + ")",
                    List.of(new FieldError("limit", "must be between 1 and " + MAX_PAGE)));
        }
        List<String> cats = categories == null ? List.of() : categories.stream().filter(c -> !c.isBlank()).toList();
        List<Item> page = items.page(Cursor.decode(cursor), cats, n + 1);
        boolean more = page.size() > n;
        List<ItemResponse> out = page.stream().limit(n).map(ItemResponse::of).toList();
        Optional<String> next = more ? Optional.of(Cursor.encode(out.get(out.size() - 1).id())) : Optional.empty();
        return Page.of(out, next);
    }

    @Transactional
    public void delete(String id) {
        Item item = items.findByExternalId(id).orElseThrow(() -> new ItemNotFoundException(id));
        itemsDeleting.fire(new ItemsDeleting(item.pk));
        items.deleteByExternalId(id);
    }

    /**
     * Streams an NDJSON body into the catalog, committing every {@code embedrec.catalog.import-batch-size} good lines
     * in their own transaction, so a failure later in the stream never loses what was already accepted.
     */
    /** Characters of NDJSON one import batch holds at most, whatever its count. */
    static final long MAX_BATCH_CHARS = 8L * 1024 * 1024;

    /** Whether an import batch of {@code count} lines and {@code chars} characters is to be written now. */
    static boolean full(int count, long chars, int batchSize) {
        return count >= batchSize || chars >= MAX_BATCH_CHARS;
    }

    public ImportReport importNdjson(InputStream body) {
        Import run = new Import(config.catalog().importMaxReportedErrors());
        NdjsonReader reader = new NdjsonReader(body, MAX_IMPORT_LINE_BYTES);
        int batchSize = config.catalog().importBatchSize();
        List<ItemRequest> batch = new ArrayList<>(batchSize);
        List<Long> batchLines = new ArrayList<>(batchSize);
        Set<String> batchIds = new HashSet<>();
        long batchChars = 0;
        NdjsonReader.Line line;
        while ((line = reader.next()) != null) {
            run.lines++;
            ItemRequest item = parseLine(line, run);
            if (item == null) {
                continue;
            }
            // an id seen twice in one batch: flush first, so the later line wins, as it would line by line; a batch
            // is also bounded in size, not only in count (1,000 items of 100,000-character descriptions)
            if (batchIds.contains(item.id()) || full(batch.size(), batchChars, batchSize)) {
                flush(batch, batchLines, run);
                batchIds.clear();
                batchChars = 0;
            }
            batch.add(item);
            batchLines.add(line.number());
            batchIds.add(item.id());
            batchChars += line.text().length();
        }
        flush(batch, batchLines, run);
        if (run.lines == 0) {
            throw new InvalidInputException("the body has no lines; send one JSON item per line "
                    + "(application/x-ndjson)");
        }
        return run.report();
    }

    private ItemRequest parseLine(NdjsonReader.Line line, Import run) {
        if (!line.ok()) {
            run.reject(line.number(), null, line.problem());
            return null;
        }
        ItemRequest item;
        try {
            item = itemReader.readValue(line.text());
        } catch (JsonProcessingException e) {
            run.reject(line.number(), null, AvailabilityLine.describe(e));
            return null;
        }
        if (item == null) {
            run.reject(line.number(), null, "the line is JSON null; expected an item object");
            return null;
        }
        String idProblem = Ids.problemWith(item.id());
        if (idProblem != null) {
            run.reject(line.number(), item.id() == null ? null : abbreviate(item.id()), "'id' " + idProblem);
            return null;
        }
        List<FieldError> errors = validate(item);
        if (!errors.isEmpty()) {
            FieldError first = errors.get(0);
            run.reject(line.number(), item.id(), "'" + first.field() + "' " + first.message()
                    + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
            return null;
        }
        return item.normalised(item.id());
    }

    private void flush(List<ItemRequest> batch, List<Long> lines, Import run) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            Map<String, ItemRepository.Upserted> changed = QuarkusTransaction.requiringNew().call(() -> write(batch));
            run.count(batch.size(), changed);
        } catch (CatalogWriteException | WindowRefused batchFailed) {
            // isolate the line(s) the database refused; keep every other line of the batch
            for (int k = 0; k < batch.size(); k++) {
                ItemRequest one = batch.get(k);
                try {
                    run.count(1, QuarkusTransaction.requiringNew().call(() -> write(List.of(one))));
                } catch (CatalogWriteException e) {
                    run.reject(lines.get(k), one.id(), "the database refused this item: " + e.reason());
                } catch (WindowRefused e) {
                    run.reject(lines.get(k), one.id(), e.getMessage());
                }
            }
        }
        batch.clear();
        lines.clear();
    }

    /**
     * Upserts in the caller's transaction and tells the vector spaces which items changed, in that transaction;
     * availability given with an item is applied after it, and counts as a change (not one the vectors care about).
     */
    private Map<String, ItemRepository.Upserted> write(List<ItemRequest> batch) {
        Map<String, ItemRepository.Upserted> upserted = items.upsert(batch);
        Map<String, ItemRepository.Upserted> changed = new java.util.HashMap<>(upserted);
        List<Availability> availability = batch.stream().map(ItemRequest::availability)
                .flatMap(Optional::stream).toList();
        if (!availability.isEmpty()) {
            items.updateAvailability(availability).forEach((id, done) -> {
                if (done.outcome() == ItemRepository.AvailabilityOutcome.BAD_WINDOW) {
                    throw new WindowRefused(id);
                }
                if (done.outcome() == ItemRepository.AvailabilityOutcome.CHANGED) {
                    changed.putIfAbsent(id, new ItemRepository.Upserted(done.pk(), false));
                }
            });
        }
        if (!upserted.isEmpty()) {
            List<ItemsChanged.Changed> list = new ArrayList<>(changed.size());
            for (ItemRequest it : batch) {
                ItemRepository.Upserted u2 = upserted.get(it.id());
                if (u2 != null) {
                    list.add(new ItemsChanged.Changed(u2.pk(), it.title(), it.description(), it.categories(),
                            it.attributes()));
                }
            }
            itemsChanged.fire(new ItemsChanged(list));
        }
        return changed;
    }

    /** An availability change whose window, with the stored end it keeps, would end before it starts. */
    static final class WindowRefused extends InvalidInputException {
        WindowRefused(String id) {
            super("item '" + id + "': 'available_until' must be after 'available_from' (with the stored value "
                    + "of the one not given)", List.of(new FieldError("available_until",
                    "must be after available_from")));
        }
    }

    /**
     * Streams availability changes (NDJSON, one {@code {"id", "available", "available_from", "available_until"}} per
     * line, each field but the id optional) into the catalog in batches, each in its own transaction, as the item
     * import does: good lines are kept, bad ones and unknown ids are reported by line. Vectors are not touched.
     */
    public ImportReport updateAvailability(InputStream body) {
        Import run = new Import(config.catalog().importMaxReportedErrors());
        NdjsonReader reader = new NdjsonReader(body, 64 * 1024);
        int batchSize = config.catalog().importBatchSize();
        Map<String, Availability> batch = new java.util.LinkedHashMap<>();
        Map<String, Long> lineOf = new java.util.HashMap<>();
        NdjsonReader.Line line;
        while ((line = reader.next()) != null) {
            run.lines++;
            Availability change = AvailabilityLine.parse(line, availabilityReader, run::reject);
            if (change == null) {
                continue;
            }
            // an id twice in one batch: flush first, so the later line wins, as it would line by line
            if (batch.containsKey(change.id()) || batch.size() >= batchSize) {
                flushAvailability(batch, lineOf, run);
            }
            batch.put(change.id(), change);
            lineOf.put(change.id(), line.number());
        }
        flushAvailability(batch, lineOf, run);
        if (run.lines == 0) {
            throw new InvalidInputException("the body has no lines; send one JSON object per line "
                    + "(application/x-ndjson): {\"id\": ..., \"available\": false}");
        }
        return run.report();
    }

    private void flushAvailability(Map<String, Availability> batch, Map<String, Long> lineOf, Import run) {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, ItemRepository.AvailabilityResult> done = QuarkusTransaction.requiringNew().call(() ->
                items.updateAvailability(new ArrayList<>(batch.values())));
        long changed = 0;
        for (Availability a : batch.values()) {
            switch (done.get(a.id()).outcome()) {
                case CHANGED -> changed++;
                case UNCHANGED -> run.unchanged++;
                case UNKNOWN_ITEM -> run.reject(lineOf.get(a.id()), a.id(), "no item has this id");
                case BAD_WINDOW -> run.reject(lineOf.get(a.id()), a.id(), "'available_until' must be after "
                        + "'available_from' (with the stored value of the one not given)");
            }
        }
        run.updated += changed;
        batch.clear();
        lineOf.clear();
    }

    private List<FieldError> validate(ItemRequest item) {
        Set<ConstraintViolation<ItemRequest>> violations = validator.validate(item);
        List<FieldError> errors = new ArrayList<>(violations.size());
        for (ConstraintViolation<ItemRequest> v : violations) {
            errors.add(new FieldError(ProblemMapper.fieldPath(v.getPropertyPath()), v.getMessage()));
        }
        if (item.availableFrom() != null && item.availableUntil() != null
                && !item.availableUntil().isAfter(item.availableFrom())) {
            errors.add(new FieldError("available_until", "must be after available_from"));
        }
        errors.sort(Comparator.comparing(FieldError::field));
        return errors;
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }

    /** Running counts of one import. */
    private static final class Import {
        final int maxErrors;
        final List<ImportReport.LineError> errors = new ArrayList<>();
        long lines;
        long created;
        long updated;
        long unchanged;
        long rejected;

        Import(int maxErrors) {
            this.maxErrors = maxErrors;
        }

        void reject(long line, String id, String detail) {
            rejected++;
            if (errors.size() < maxErrors) {
                errors.add(new ImportReport.LineError(line, id, detail));
            }
        }

        void count(int submitted, Map<String, ItemRepository.Upserted> changed) {
            long c = changed.values().stream().filter(ItemRepository.Upserted::created).count();
            created += c;
            updated += changed.size() - c;
            unchanged += submitted - changed.size();
        }

        ImportReport report() {
            // a batch's database refusals are known after later lines' parse errors: report in line order
            errors.sort(Comparator.comparingLong(ImportReport.LineError::line));
            return new ImportReport(lines, created, updated, unchanged, rejected, List.copyOf(errors),
                    rejected > errors.size());
        }
    }
}
