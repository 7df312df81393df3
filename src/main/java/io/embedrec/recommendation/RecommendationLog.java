package io.embedrec.recommendation;

import io.embedrec.common.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** Records each answer under its recommendation_id, so events quoting it measure click-through per strategy. */
@ApplicationScoped
public class RecommendationLog {

    private final Jdbc jdbc;

    RecommendationLog(Jdbc jdbc) {
        this.jdbc = jdbc;
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
