package io.embedrec.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.agroal.api.AgroalDataSource;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** All SQL of the {@code items} table. */
@ApplicationScoped
public class ItemRepository implements PanacheRepositoryBase<Item, Long> {

    /**
     * One statement per batch: rows travel as parallel arrays and are unnested server-side, which is several times
     * faster than a JDBC batch of single-row inserts. Each row's categories travel as a text[] literal (a ragged
     * array cannot be a column of a 2-D one); parsing it is cheaper than JSON plus a per-row subquery. Unchanged rows
     * are left alone (no new updated_at) and are not returned; {@code xmax = 0} tells a fresh insert from an update.
     */
    private static final String UPSERT = """
            INSERT INTO items AS i (external_id, title, description, categories, attributes)
            SELECT u.id, u.title, u.description, u.cats::text[], u.attrs::jsonb
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u(id, title, description, cats, attrs)
            ON CONFLICT (external_id) DO UPDATE
               SET title = excluded.title, description = excluded.description,
                   categories = excluded.categories, attributes = excluded.attributes, updated_at = now()
             WHERE (i.title, i.description, i.categories, i.attributes)
                   IS DISTINCT FROM (excluded.title, excluded.description, excluded.categories, excluded.attributes)
            RETURNING i.external_id, (xmax = 0) AS created, i.pk
            """;

    private final AgroalDataSource dataSource;
    /** Resolved once: {@code writeValueAsString} looked the serializer up again for every row. */
    private final ObjectWriter attributesWriter;
    private final EntityManager em;

    ItemRepository(AgroalDataSource dataSource, ObjectMapper json, EntityManager em) {
        this.dataSource = dataSource;
        this.attributesWriter = json.writerFor(new TypeReference<Map<String, Object>>() { });
        this.em = em;
    }

    /** An item the upsert created or changed: its internal key and whether it is new. */
    public record Upserted(long pk, boolean created) {
    }

    public Optional<Item> findByExternalId(String id) {
        return find("externalId", id).firstResultOptional();
    }

    /** Items ordered by id, after {@code afterId} (exclusive), optionally only those in any of {@code categories}. */
    @SuppressWarnings("unchecked")
    public List<Item> page(Optional<String> afterId, List<String> categories, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM items WHERE true");
        if (afterId.isPresent()) {
            sql.append(" AND external_id > :after");
        }
        if (!categories.isEmpty()) {
            sql.append(" AND categories && CAST(:cats AS text[])");
        }
        sql.append(" ORDER BY external_id LIMIT :limit");
        var q = em.createNativeQuery(sql.toString(), Item.class).setParameter("limit", limit);
        afterId.ifPresent(a -> q.setParameter("after", a));
        if (!categories.isEmpty()) {
            q.setParameter("cats", toPgArrayLiteral(categories));
        }
        return q.getResultList();
    }

    public boolean deleteByExternalId(String id) {
        return delete("externalId", id) > 0;
    }

    public long countAll() {
        return count();
    }

    /**
     * Inserts or replaces {@code items} (ids unique within the call) in the caller's transaction.
     *
     * @return each item that was created or changed, by id; unchanged items are absent
     */
    public Map<String, Upserted> upsert(List<ItemRequest> items) {
        int n = items.size();
        String[] ids = new String[n];
        String[] titles = new String[n];
        String[] descriptions = new String[n];
        String[] cats = new String[n];
        String[] attrs = new String[n];
        try {
            for (int k = 0; k < n; k++) {
                ItemRequest it = items.get(k);
                ids[k] = it.id();
                titles[k] = it.title();
                descriptions[k] = it.description();
                cats[k] = toPgArrayLiteral(it.categories());
                attrs[k] = attributesWriter.writeValueAsString(it.attributes());
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("validated item could not be serialised", e);
        }
        Map<String, Upserted> changed = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setArray(1, c.createArrayOf("text", ids));
            ps.setArray(2, c.createArrayOf("text", titles));
            ps.setArray(3, c.createArrayOf("text", descriptions));
            ps.setArray(4, c.createArrayOf("text", cats));
            ps.setArray(5, c.createArrayOf("text", attrs));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changed.put(rs.getString(1), new Upserted(rs.getLong(3), rs.getBoolean(2)));
                }
            }
        } catch (SQLException e) {
            throw new CatalogWriteException(e);
        }
        return changed;
    }

    /** What an availability change did to its item. */
    enum AvailabilityOutcome { CHANGED, UNCHANGED, UNKNOWN_ITEM, BAD_WINDOW }

    /** An availability change's outcome and its item's key (0 for an unknown item). */
    record AvailabilityResult(AvailabilityOutcome outcome, long pk) {
    }

    /**
     * One statement per batch, as the upsert: the changes travel as parallel arrays; the new values are computed
     * against the stored ones (a given window end replaces, an absent one stays), and a change whose resulting
     * window would end before it starts is refused with its reason instead of failing the batch.
     */
    private static final String AVAILABILITY = """
            WITH u AS (SELECT * FROM unnest(?::text[], ?::boolean[], ?::boolean[], ?::timestamptz[], ?::boolean[],
                                            ?::timestamptz[]) AS u(id, available, sets_from, from_at, sets_until, until_at)),
                 n AS (SELECT i.pk, u.id, COALESCE(u.available, i.available) AS available,
                              CASE WHEN u.sets_from THEN u.from_at ELSE i.available_from END AS available_from,
                              CASE WHEN u.sets_until THEN u.until_at ELSE i.available_until END AS available_until
                       FROM u JOIN items i ON i.external_id = u.id),
                 upd AS (UPDATE items i SET available = n.available, available_from = n.available_from,
                                            available_until = n.available_until, updated_at = now()
                         FROM n WHERE i.pk = n.pk
                           AND (n.available_from IS NULL OR n.available_until IS NULL
                                OR n.available_until > n.available_from)
                           AND (i.available, i.available_from, i.available_until)
                               IS DISTINCT FROM (n.available, n.available_from, n.available_until)
                         RETURNING i.pk)
            SELECT u.id, n.pk IS NOT NULL, upd.pk IS NOT NULL,
                   COALESCE(n.available_until <= n.available_from, false), COALESCE(n.pk, 0)
            FROM u LEFT JOIN n ON n.id = u.id LEFT JOIN upd ON upd.pk = n.pk
            """;

    /**
     * Applies availability changes (ids unique within the call) in the caller's transaction.
     *
     * @return what happened to each item, by id
     */
    Map<String, AvailabilityResult> updateAvailability(List<Availability> changes) {
        int n = changes.size();
        String[] ids = new String[n];
        Boolean[] available = new Boolean[n];
        Boolean[] setsFrom = new Boolean[n];
        String[] from = new String[n];
        Boolean[] setsUntil = new Boolean[n];
        String[] until = new String[n];
        for (int k = 0; k < n; k++) {
            Availability a = changes.get(k);
            ids[k] = a.id();
            available[k] = a.available();
            setsFrom[k] = a.setsFrom();
            from[k] = a.from() == null ? null : a.from().toString();
            setsUntil[k] = a.setsUntil();
            until[k] = a.until() == null ? null : a.until().toString();
        }
        Map<String, AvailabilityResult> out = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(AVAILABILITY)) {
            ps.setArray(1, c.createArrayOf("text", ids));
            ps.setArray(2, c.createArrayOf("bool", available));
            ps.setArray(3, c.createArrayOf("bool", setsFrom));
            ps.setArray(4, c.createArrayOf("text", from));
            ps.setArray(5, c.createArrayOf("bool", setsUntil));
            ps.setArray(6, c.createArrayOf("text", until));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new AvailabilityResult(!rs.getBoolean(2) ? AvailabilityOutcome.UNKNOWN_ITEM
                            : rs.getBoolean(4) ? AvailabilityOutcome.BAD_WINDOW
                            : rs.getBoolean(3) ? AvailabilityOutcome.CHANGED : AvailabilityOutcome.UNCHANGED,
                            rs.getLong(5)));
                }
            }
        } catch (SQLException e) {
            throw new CatalogWriteException(e);
        }
        return out;
    }

    private static String toPgArrayLiteral(List<String> values) {
        StringBuilder sb = new StringBuilder("{");
        for (int k = 0; k < values.size(); k++) {
            if (k > 0) {
                sb.append(',');
            }
            sb.append('"').append(values.get(k).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.append('}').toString();
    }
}
