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

    public UUID record(String strategy, Integer spaceId, String subject, List<Recommended> items) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO recommendations (id, strategy, space_id, subject, item_ids) VALUES (?, ?, ?, ?, ?)",
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
