package io.embedrec.recommendation;

import io.embedrec.common.EmbedrecConfig;
import io.embedrec.common.Jdbc;
import io.embedrec.common.AnswersEngaged;
import io.embedrec.common.UserErasing;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Records each answer under its recommendation_id, so events quoting it measure click-through per strategy; owns the
 * {@code recommendations} table: it forgets a user's feeds when the user is erased and prunes rows older than
 * {@code embedrec.recommendations.retention}.
 *
 * <p>Answers are written off the request path: queued, and written by one background thread in batches (one round
 * trip per batch) every {@code embedrec.recommendations.flush-every}, each row with the
 * time of its answer. A clean stop writes what is queued. The queue is bounded: when it is full (the database
 * slower than the traffic), a request writes its own row, so the log slows serving down rather than losing rows.
 */
@ApplicationScoped
public class RecommendationLog {

    private static final Logger LOG = Logger.getLogger(RecommendationLog.class);
    /** Rows deleted per pruning statement: short transactions, never one huge delete. */
    static final int PRUNE_BATCH = 10_000;
    /** Rows written per batch. */
    static final int WRITE_BATCH = 1000;
    static final int QUEUE_CAPACITY = 20_000;

    /** One logged answer. */
    private record Entry(UUID id, String strategy, Integer spaceId, String subject, String[] itemIds, Instant at,
                         String experiment, String variant) {
    }

    private final Jdbc jdbc;
    private final Duration retention;
    private final Duration flushEvery;
    private final Clock clock;
    private final BlockingQueue<Entry> pending = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    /** Held while a batch is taken and written, so an erasure never misses a row in flight. */
    private final ReentrantLock writing = new ReentrantLock();
    private volatile boolean running;
    private Thread writer;

    RecommendationLog(Jdbc jdbc, EmbedrecConfig config) {
        this.jdbc = jdbc;
        this.retention = config.recommendations().retention();
        this.flushEvery = config.recommendations().flushEvery();
        this.clock = Clock.systemUTC();
    }

    void start(@Observes StartupEvent start, MeterRegistry registry) {
        Gauge.builder("embedrec.recommendations.pending", pending, BlockingQueue::size)
                .description("Answers queued for the recommendation log, not yet written").register(registry);
        running = true;
        writer = new Thread(this::writeContinuously, "embedrec-recommendation-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** A clean stop writes every queued answer before the database connections close. */
    void stop(@Observes ShutdownEvent stop) throws InterruptedException {
        running = false;
        writer.interrupt();
        writer.join(10_000);
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warnf("%d answers of the recommendation log were not written at shutdown: %s", pending.size(),
                    e.getMessage());
        }
    }

    /**
     * The feeds logged for an erased user go with them (same transaction), queued ones included: a batch being
     * written is waited for, so its rows are there to delete.
     */
    void onUserErasing(@Observes UserErasing erasing) {
        writing.lock();
        try {
            pending.removeIf(e -> erasing.userId().equals(e.subject()) && e.strategy().startsWith("feed:"));
        } finally {
            writing.unlock();
        }
        jdbc.update("DELETE FROM recommendations WHERE subject = ? AND strategy LIKE 'feed:%'",
                ps -> ps.setString(1, erasing.userId()));
        jdbc.update("DELETE FROM answer_outcomes WHERE subject = ? AND strategy LIKE 'feed:%'",
                ps -> ps.setString(1, erasing.userId()));
        jdbc.update("DELETE FROM experiment_users WHERE subject = ?", ps -> ps.setString(1, erasing.userId()));
    }

    /**
     * Events quoting answers were accepted: their types join the answers' outcomes (in the events' transaction). An
     * answer still queued is not in the table yet; writing it picks up the events that quote it.
     */
    void onAnswersEngaged(@Observes AnswersEngaged engaged) {
        List<UUID> ids = engaged.recommendationIds();
        // shared with other event batches, exclusive against the log writer (see write): either the answers' rows
        // are committed before this reads them, or the writer waits for these events and reads them itself
        jdbc.query("SELECT pg_advisory_xact_lock_shared(" + ATTRIBUTION_LOCK + ")", ps -> { }, rs -> null);
        jdbc.update(OUTCOMES_OF + "u.type) FROM unnest(?::uuid[], ?::text[]) u(id, type) JOIN recommendations r "
                + "ON r.id = u.id GROUP BY r.id, r.created_at ORDER BY r.id" + MERGE_TYPES, ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids.toArray()));
                    ps.setArray(2, ps.getConnection().createArrayOf("text", engaged.types().toArray()));
                });
    }

    /** The advisory lock that orders attribution between the log writer and event batches (any instance). */
    private static final long ATTRIBUTION_LOCK = 0x656d62726563_01L;

    /** The outcome rows of answers {@code r} with the event types {@code u.type} / {@code e.type} seen on them. */
    private static final String OUTCOMES_OF = "INSERT INTO answer_outcomes AS o (recommendation_id, day, strategy, "
            + "experiment, variant, subject, types) SELECT r.id, (r.created_at AT TIME ZONE 'UTC')::date, "
            + "min(r.strategy), min(r.experiment), min(r.variant), min(r.subject), array_agg(DISTINCT ";
    private static final String MERGE_TYPES = " ON CONFLICT (recommendation_id) DO UPDATE SET types = "
            + "ARRAY(SELECT DISTINCT t FROM unnest(o.types || excluded.types) t ORDER BY t)";

    /**
     * Deletes the rows older than the retention, in batches; returns how many. Several instances may prune at once:
     * each batch skips rows another is deleting.
     */
    public long prune() {
        Timestamp before = Timestamp.from(clock.instant().minus(retention));
        long total = 0;
        while (true) {
            int n = QuarkusTransaction.requiringNew().call(() -> jdbc.update("DELETE FROM recommendations WHERE id "
                    + "IN (SELECT id FROM recommendations WHERE created_at < ? LIMIT " + PRUNE_BATCH
                    + " FOR UPDATE SKIP LOCKED)", ps -> ps.setTimestamp(1, before)));
            total += n;
            if (n < PRUNE_BATCH) {
                return total;
            }
        }
    }

    @Scheduled(every = "${embedrec.recommendations.prune-every:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPrune() {
        try {
            long n = prune();
            if (n > 0) {
                LOG.infof("pruned %d logged recommendations older than %s", n, retention);
            }
        } catch (RuntimeException e) {
            LOG.warnf("pruning the recommendation log failed; next try in an hour: %s", e.getMessage());
        }
    }

    /** Logs an answer; its row is written within {@code flush-every}. Returns the answer's id. */
    public UUID record(String strategy, Integer spaceId, String subject, List<Recommended> items) {
        return record(strategy, spaceId, subject, items, null, null);
    }

    /** Logs an answer served under an experiment's variant (both null outside experiments). */
    UUID record(String strategy, Integer spaceId, String subject, List<Recommended> items, String experiment,
                String variant) {
        Entry e = new Entry(UUID.randomUUID(), strategy, spaceId, subject,
                items.stream().map(Recommended::id).toArray(String[]::new), clock.instant(), experiment, variant);
        if (!pending.offer(e)) {
            write(List.of(e));
        }
        return e.id();
    }

    /** Writes every queued answer now (shutdown, tests); returns how many. */
    public int flush() {
        int total = 0;
        while (true) {
            int n = writeBatch();
            total += n;
            if (n == 0) {
                return total;
            }
        }
    }

    private void writeContinuously() {
        long backoff = 100;
        while (running) {
            try {
                // taking queued answers only under the lock (in writeBatch) lets an erasure see every one not written
                Thread.sleep(flushEvery.toMillis());
                while (writeBatch() == WRITE_BATCH) {
                    // a full batch: more may be waiting
                }
                backoff = 100;
            } catch (InterruptedException stopping) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("writing the recommendation log failed, retrying in %d ms: %s", backoff, e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException stopping) {
                    return;
                }
                backoff = Math.min(5000, backoff * 2);
            }
        }
    }

    private int writeBatch() {
        writing.lock();
        try {
            List<Entry> batch = new ArrayList<>(WRITE_BATCH);
            pending.drainTo(batch, WRITE_BATCH);
            if (!batch.isEmpty()) {
                writeKeeping(batch);
            }
            return batch.size();
        } finally {
            writing.unlock();
        }
    }

    /** Writes the batch; if that fails, its answers go back in the queue (as far as it has room) and it throws. */
    private void writeKeeping(List<Entry> batch) {
        try {
            QuarkusTransaction.requiringNew().run(() -> write(batch));
        } catch (RuntimeException e) {
            int lost = 0;
            for (Entry x : batch) {
                if (!pending.offer(x)) {
                    lost++;
                }
            }
            if (lost > 0) {
                LOG.warnf("%d answers of the recommendation log were dropped: the database is unreachable and the "
                        + "queue is full", lost);
            }
            throw e;
        }
    }

    /**
     * Inserts the rows in the caller's transaction (one round trip: a JDBC batch) and lets it commit without waiting
     * for the WAL flush: losing the last few log rows in a database crash costs a few click-through attributions,
     * while waiting for the flush would add a disk sync to every batch.
     */
    private void write(List<Entry> batch) {
        jdbc.with(c -> {
            try (var s = c.createStatement()) {
                // the lock first: event batches that quote answers finish before these rows are read for them
                s.execute("SET LOCAL synchronous_commit = off; SELECT pg_advisory_xact_lock(" + ATTRIBUTION_LOCK
                        + ")");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO recommendations (id, strategy, space_id, "
                    + "subject, item_ids, created_at, experiment, variant) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Entry e : batch) {
                    ps.setObject(1, e.id());
                    ps.setString(2, e.strategy());
                    if (e.spaceId() == null) {
                        ps.setNull(3, java.sql.Types.INTEGER);
                    } else {
                        ps.setInt(3, e.spaceId());
                    }
                    ps.setString(4, e.subject());
                    ps.setArray(5, c.createArrayOf("text", e.itemIds()));
                    ps.setTimestamp(6, Timestamp.from(e.at()));
                    ps.setString(7, e.experiment());
                    ps.setString(8, e.variant());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            rollUp(c, batch);
            return null;
        });
    }

    /**
     * Keeps the report rollups with the batch, in its transaction: answers per day, strategy and variant; the users
     * an experiment served; and the outcomes of answers that events already quote (an event can arrive before its
     * answer's row). Keys go in sorted order, so concurrent writers lock rows in the same order.
     */
    private void rollUp(java.sql.Connection c, List<Entry> batch) throws java.sql.SQLException {
        java.util.TreeMap<List<String>, Long> counts = new java.util.TreeMap<>(java.util.Comparator
                .comparing((List<String> k) -> String.join("\u0000", k)));
        java.util.TreeMap<List<String>, String> users = new java.util.TreeMap<>(java.util.Comparator
                .comparing((List<String> k) -> String.join("\u0000", k)));
        for (Entry e : batch) {
            String day = e.at().atZone(java.time.ZoneOffset.UTC).toLocalDate().toString();
            counts.merge(List.of(day, e.strategy(), e.experiment() == null ? "" : e.experiment(),
                    e.variant() == null ? "" : e.variant()), 1L, Long::sum);
            if (e.experiment() != null && e.subject() != null) {
                users.putIfAbsent(List.of(e.experiment(), e.subject()), e.variant());
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO answer_counts AS a (day, strategy, experiment, "
                + "variant, answers) SELECT * FROM unnest(?::date[], ?::text[], ?::text[], ?::text[], ?::bigint[]) "
                + "ON CONFLICT (day, strategy, experiment, variant) DO UPDATE SET answers = a.answers "
                + "+ excluded.answers")) {
            for (int col = 0; col < 4; col++) {
                int at = col;
                ps.setArray(col + 1, c.createArrayOf("text", counts.keySet().stream().map(k -> k.get(at))
                        .toArray()));
            }
            ps.setArray(5, c.createArrayOf("bigint", counts.values().toArray()));
            ps.executeUpdate();
        }
        if (!users.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO experiment_users (experiment, subject, "
                    + "variant) SELECT * FROM unnest(?::text[], ?::text[], ?::text[]) ON CONFLICT DO NOTHING")) {
                ps.setArray(1, c.createArrayOf("text", users.keySet().stream().map(k -> k.get(0)).toArray()));
                ps.setArray(2, c.createArrayOf("text", users.keySet().stream().map(k -> k.get(1)).toArray()));
                ps.setArray(3, c.createArrayOf("text", users.values().toArray()));
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(OUTCOMES_OF + "e.type) FROM recommendations r JOIN events e "
                + "ON e.recommendation_id = r.id WHERE r.id = ANY(?::uuid[]) GROUP BY r.id, r.created_at ORDER BY r.id"
                + MERGE_TYPES)) {
            ps.setArray(1, c.createArrayOf("uuid", batch.stream().map(Entry::id).toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * Forgets an experiment's rollups (in the caller's transaction): when it is deleted, and before a new one of the
     * same name starts, so a reused name never inherits counts.
     */
    void forgetExperiment(String experiment) {
        jdbc.update("DELETE FROM answer_counts WHERE experiment = ?", ps -> ps.setString(1, experiment));
        jdbc.update("DELETE FROM answer_outcomes WHERE experiment = ?", ps -> ps.setString(1, experiment));
        jdbc.update("DELETE FROM experiment_users WHERE experiment = ?", ps -> ps.setString(1, experiment));
    }

    /** Answers of one group (a variant, a strategy): served, distinct users (-1: not counted), clicked, converted. */
    record Counts(String group, long impressions, long users, long clicked, long converted) {
    }

    /**
     * Click-through of an experiment's answers by variant, from the rollups: an answer is clicked when an event of a
     * click type quoted its recommendation_id, converted when one of a conversion type did.
     */
    List<Counts> byVariant(String experiment, List<String> clickTypes, List<String> conversionTypes) {
        return jdbc.query("SELECT coalesce(c.variant, u.variant, o.variant), coalesce(c.answers, 0), "
                + "coalesce(u.users, 0), coalesce(o.clicked, 0), coalesce(o.converted, 0) FROM "
                + "(SELECT variant, sum(answers) AS answers FROM answer_counts WHERE experiment = ? GROUP BY variant) c "
                + "FULL JOIN (SELECT variant, count(*) AS users FROM experiment_users WHERE experiment = ? "
                + "GROUP BY variant) u ON u.variant = c.variant "
                + "FULL JOIN (SELECT variant, count(*) FILTER (WHERE types && ?) AS clicked, "
                + "count(*) FILTER (WHERE types && ?) AS converted FROM answer_outcomes WHERE experiment = ? "
                + "GROUP BY variant) o ON o.variant = coalesce(c.variant, u.variant) ORDER BY 1", ps -> {
                    ps.setString(1, experiment);
                    ps.setString(2, experiment);
                    ps.setArray(3, ps.getConnection().createArrayOf("text", clickTypes.toArray()));
                    ps.setArray(4, ps.getConnection().createArrayOf("text", conversionTypes.toArray()));
                    ps.setString(5, experiment);
                }, rs -> new Counts(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
    }

    /** The same by strategy, for the answers logged on or after {@code since} (a UTC day); users are not counted. */
    List<Counts> byStrategy(java.time.LocalDate since, List<String> clickTypes, List<String> conversionTypes) {
        return jdbc.query("SELECT coalesce(c.strategy, o.strategy), coalesce(c.answers, 0), -1, "
                + "coalesce(o.clicked, 0), coalesce(o.converted, 0) FROM "
                + "(SELECT strategy, sum(answers) AS answers FROM answer_counts WHERE day >= ? GROUP BY strategy) c "
                + "FULL JOIN (SELECT strategy, count(*) FILTER (WHERE types && ?) AS clicked, "
                + "count(*) FILTER (WHERE types && ?) AS converted FROM answer_outcomes WHERE day >= ? "
                + "GROUP BY strategy) o ON o.strategy = c.strategy ORDER BY 1", ps -> {
                    ps.setObject(1, since);
                    ps.setArray(2, ps.getConnection().createArrayOf("text", clickTypes.toArray()));
                    ps.setArray(3, ps.getConnection().createArrayOf("text", conversionTypes.toArray()));
                    ps.setObject(4, since);
                }, rs -> new Counts(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
    }
}
