package io.embedrec.recommendation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.embedrec.catalog.ItemNotFoundException;
import io.embedrec.common.EmbedrecConfig;
import io.embedrec.common.InvalidInputException;
import io.embedrec.common.Jdbc;
import io.embedrec.common.ProblemException.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * "Bought together": the items that the same users had positive events on (purchase and add-to-cart by default)
 * within a window of their events on this item, ranked by lift: how much more often they go together than chance,
 * {@code support · users / (users of this item · users of that item)}, among pairs seen by at least
 * {@code min_support} users. Too little data gives an empty list with the reason, not noise.
 */
@ApplicationScoped
public class TogetherService {

    /** An item bought together with the asked one: lift (score), and how many users had both (support). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Together(String id, double score, long support, String title, List<String> categories,
                           List<RuleEffect> rules) {
    }

    /** The answer: the items, or an empty list and why. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Response(List<Together> items, String reason, UUID recommendationId) {
    }

    /** At most this many co-occurring items are weighed (by support) before ranking by lift. */
    static final int MAX_PAIRS = 500;

    private final Jdbc jdbc;
    private final EmbedrecConfig config;
    private final RecommendationLog log;
    private final RuleSets ruleSets;
    private final RuleStage rules;

    TogetherService(Jdbc jdbc, EmbedrecConfig config, RecommendationLog log, RuleSets ruleSets, RuleStage rules) {
        this.jdbc = jdbc;
        this.config = config;
        this.log = log;
        this.ruleSets = ruleSets;
        this.rules = rules;
    }

    private static final RuleStage.Shape<Together> SHAPE = new RuleStage.Shape<>() {
        public String id(Together item) {
            return item.id();
        }

        public double score(Together item) {
            return item.score();
        }

        public Together pinned(Recommended item) {
            return new Together(item.id(), 0, 0, item.title(), item.categories(), null);
        }

        public Together withRules(Together item, List<RuleEffect> effects) {
            return new Together(item.id(), item.score(), item.support(), item.title(), item.categories(), effects);
        }
    };

    @Transactional
    public Response together(String itemId, Integer k, List<String> types, Integer minSupport,
                             Optional<String> ruleSet, Map<String, List<String>> query) {
        int n = SimilarService.checkK(k, config.recommend().defaultK());
        EmbedrecConfig.Merchandising m = config.merchandising();
        List<String> eventTypes = types == null || types.isEmpty() ? m.togetherTypes()
                : types.stream().flatMap(t -> java.util.Arrays.stream(t.split(","))).map(String::strip)
                .filter(t -> !t.isEmpty()).distinct().toList();
        if (eventTypes.size() > 20) {
            throw new InvalidInputException("at most 20 event types", List.of(new FieldError("types",
                    "at most 20 event types")));
        }
        int support = minSupport == null ? m.togetherMinSupport() : minSupport;
        if (support < 1 || support > 1_000_000) {
            throw new InvalidInputException("min_support must be between 1 and 1000000 (got " + support + ")",
                    List.of(new FieldError("min_support", "must be between 1 and 1000000")));
        }
        RuleSets.Applied applied = ruleSets.named(ruleSet);
        RuleStage.Context context = rules.context(OptionalLong.empty());
        Filters filters = rules.restrict(FilterParser.fromQuery(query), applied, context)
                .withExclude(List.of(itemId));
        FilterSql where = FilterSql.of(filters);
        String[] typeArray = eventTypes.toArray(String[]::new);
        long window = m.togetherWindow().toSeconds();
        int take = RuleStage.pool(n, applied);
        // the item's latest events of these types; the same users' events of these types within the window of
        // one of them; pairs by distinct users; each partner's own distinct users; lift over all users
        String sql = "WITH a AS (SELECT pk FROM items WHERE external_id = ?), "
                + "ea AS (SELECT e.user_pk, e.ts FROM events e WHERE e.item_pk = (SELECT pk FROM a) "
                + "AND e.type = ANY(?) ORDER BY e.ts DESC LIMIT " + m.togetherMaxEvents() + "), "
                + "co AS (SELECT e.item_pk, count(DISTINCT e.user_pk) AS support FROM ea JOIN events e "
                + "ON e.user_pk = ea.user_pk AND e.ts BETWEEN ea.ts - make_interval(secs => ?) "
                + "AND ea.ts + make_interval(secs => ?) WHERE e.type = ANY(?) AND e.item_pk <> (SELECT pk FROM a) "
                + "GROUP BY e.item_pk HAVING count(DISTINCT e.user_pk) >= ? ORDER BY support DESC, e.item_pk "
                + "LIMIT " + MAX_PAIRS + "), "
                + "nb AS (SELECT co.item_pk, co.support, (SELECT count(DISTINCT x.user_pk) FROM events x "
                + "WHERE x.item_pk = co.item_pk AND x.type = ANY(?)) AS users FROM co) "
                + "SELECT i.external_id, i.title, i.categories, nb.support, nb.support::float8 "
                + "* (SELECT count(*) FROM users) / ((SELECT count(DISTINCT user_pk) FROM ea) * nb.users) AS lift "
                + "FROM nb JOIN items i ON i.pk = nb.item_pk WHERE " + where.condition()
                + " ORDER BY lift DESC, nb.support DESC, i.external_id LIMIT " + take;
        List<Together> found = jdbc.query(sql, ps -> {
            ps.setString(1, itemId);
            ps.setArray(2, ps.getConnection().createArrayOf("text", typeArray));
            ps.setLong(3, window);
            ps.setLong(4, window);
            ps.setArray(5, ps.getConnection().createArrayOf("text", typeArray));
            ps.setInt(6, support);
            ps.setArray(7, ps.getConnection().createArrayOf("text", typeArray));
            where.bind(ps, 8);
        }, rs -> new Together(rs.getString(1), Math.round(rs.getDouble(5) * 1e6) / 1e6, rs.getLong(4),
                rs.getString(2), List.of((String[]) rs.getArray(3).getArray()), null));
        List<Together> out = rules.apply(found, n, applied, context, filters, SHAPE);
        String reason = null;
        if (out.isEmpty()) {
            reason = whyNone(itemId, typeArray, eventTypes, support);
        }
        UUID id = log.record("together", null, itemId, new ArrayList<>(out.stream().map(t -> new Recommended(t.id(),
                t.score(), t.title(), t.categories())).toList()));
        return new Response(out, reason, id);
    }

    private String whyNone(String itemId, String[] typeArray, List<String> types, int support) {
        Long users = jdbc.queryOne("SELECT (SELECT count(DISTINCT e.user_pk) FROM events e WHERE e.item_pk = i.pk "
                + "AND e.type = ANY(?)) FROM items i WHERE i.external_id = ?", ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("text", typeArray));
                    ps.setString(2, itemId);
                }, rs -> rs.getLong(1)).orElseThrow(() -> new ItemNotFoundException(itemId));
        String kinds = String.join("/", types);
        if (users < support) {
            return "too little data: " + users + " user(s) had " + kinds + " events on '" + itemId + "'; a pair "
                    + "needs at least " + support + " (min_support)";
        }
        return "no item went together with '" + itemId + "' for at least " + support + " of its " + users
                + " users (" + kinds + " events within " + shown(config.merchandising().togetherWindow())
                + "), among the items the filters allow";
    }

    /** A duration as the configuration writes it: 7d, 12h, 30m, 45s. */
    static String shown(java.time.Duration d) {
        long s = d.toSeconds();
        return s % 86_400 == 0 ? s / 86_400 + "d" : s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m"
                : s + "s";
    }
}
