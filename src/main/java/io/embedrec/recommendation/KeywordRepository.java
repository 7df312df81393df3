package io.embedrec.recommendation;

import io.embedrec.common.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Postgres full-text search over items' {@code search_doc} (title, categories, description). The query is parsed
 * twice, as plain words ('simple', so names, SKUs and rare words match exactly) and as English stems, and an item
 * matching either form is found; ranked by {@code ts_rank_cd}.
 */
@ApplicationScoped
public class KeywordRepository {

    private final Jdbc jdbc;

    KeywordRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public List<Recommended> search(String text, Filters filters, int k) {
        FilterSql where = FilterSql.of(filters);
        String sql = "SELECT i.external_id, i.title, i.categories, ts_rank_cd(i.search_doc, qq.q, 1) AS rank "
                + "FROM items i, (SELECT websearch_to_tsquery('simple', ?) || websearch_to_tsquery('english', ?) AS q) qq "
                + "WHERE i.search_doc @@ qq.q AND " + where.condition() + " ORDER BY rank DESC, i.external_id LIMIT ?";
        return jdbc.with(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, text);
                ps.setString(2, text);
                int at = where.bind(ps, 3);
                ps.setInt(at, k);
                List<Recommended> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Recommended(rs.getString(1), Math.round(rs.getDouble(4) * 1e6) / 1e6,
                                rs.getString(2), List.of((String[]) rs.getArray(3).getArray())));
                    }
                }
                return out;
            }
        });
    }
}
