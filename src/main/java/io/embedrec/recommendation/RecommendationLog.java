package io.embedrec.recommendation;

import io.embedrec.common.EmbedrecConfig;
import io.embedrec.common.Jdbc;
import io.embedrec.common.UserErasing;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Records each answer under its recommendation_id, so events quoting it measure click-through per strategy; owns the
 * {@code recommendations} table: it forgets a user's feeds when the user is erased and prunes rows older than
 * {@code embedrec.recommendations.retention}.
 */
@ApplicationScoped
public class RecommendationLog {

    private static final Logger LOG = Logger.getLogger(RecommendationLog.class);
    /** Rows deleted per pruning statement: short transactions, never one huge delete. */
    static final int PRUNE_BATCH = 10_000;

    private final Jdbc jdbc;
    private final Duration retention;
    private final Clock clock;

    RecommendationLog(Jdbc jdbc, EmbedrecConfig config) {
        this.jdbc = jdbc;
        this.retention = config.recommendations().retention();
        this.clock = Clock.systemUTC();
    }

    /** The feeds logged for an erased user go with them (same transaction). */
    void onUserErasing(@Observes UserErasing erasing) {
        jdbc.update("DELETE FROM recommendations WHERE subject = ? AND strategy LIKE 'feed:%'",
                ps -> ps.setString(1, erasing.userId()));
    }

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

    /**
     * Inserts the answer's row in the caller's transaction and lets that transaction commit without waiting for the
     * WAL flush ({@code synchronous_commit = off}): the row is the answer's only write, and losing the last few log
     * rows in a database crash costs a few click-through attributions, while waiting for the flush would add a disk
     * sync to every read request. pgjdbc sends both statements in one round trip.
     */
    public UUID record(String strategy, Integer spaceId, String subject, List<Recommended> items) {
        UUID id = UUID.randomUUID();
        jdbc.update("SET LOCAL synchronous_commit = off; "
                + "INSERT INTO recommendations (id, strategy, space_id, subject, item_ids) VALUES (?, ?, ?, ?, ?)",
                ps -> {
                    ps.setObject(1, id);
                    ps.setString(2, strategy);
                    if (spaceId == null) {
                        ps.setNull(3, java.sql.Types.INTEGER);
                    } else {
                        ps.setInt(3, spaceId);
                    }
                    ps.setString(4, subject);
                    ps.setArray(5, ps.getConnection().createArrayOf("text",
                            items.stream().map(Recommended::id).toArray(String[]::new)));
                });
        return id;
    }
}
