package io.embedrec.recommendation;

import io.embedrec.common.EmbedrecConfig;
import io.embedrec.common.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Trending: items whose short-window popularity (half-life {@code embedrec.merchandising.trending-half-life}) is well
 * above what their long-window popularity (the item popularity's half-life) predicts. Both are decayed sums of event
 * weights kept at ingest; a steady rate r gives sums r·h/ln 2, so the short one is expected at long · h_short /
 * h_long, and the score is {@code (short − expected) / √(expected + 1)}: a z-score that needs volume as well as a
 * rise. An item needs {@code trending-min-events} of decayed recent weight to trend at all.
 */
@ApplicationScoped
public class TrendingService {

    /** The trending list's answer. */
    public record Response(List<Recommended> items, UUID recommendationId) {
    }

    private final Jdbc jdbc;
    private final EmbedrecConfig config;
    private final RecommendationLog log;
    private final RuleSets ruleSets;
    private final RuleStage rules;

    TrendingService(Jdbc jdbc, EmbedrecConfig config, RecommendationLog log, RuleSets ruleSets, RuleStage rules) {
        this.jdbc = jdbc;
        this.config = config;
        this.log = log;
        this.ruleSets = ruleSets;
        this.rules = rules;
    }

    /** 2^x, 0 where it would underflow (PostgreSQL raises an error rather than returning 0). */
    private static String pow2(String x) {
        return "CASE WHEN " + x + " < -1000 THEN 0 ELSE power(2, " + x + ") END";
    }

    /** The short-window decayed weight of the item_popularity row {@code p} now. */
    static String recent(EmbedrecConfig config) {
        double hs = config.merchandising().trendingHalfLife().toMillis() / 1000.0;
        return pow2("p.short_log_score - extract(epoch from now()) / " + hs);
    }

    /** The trending score of the item_popularity row {@code p} now (see the class comment). */
    static String score(EmbedrecConfig config) {
        double hs = config.merchandising().trendingHalfLife().toMillis() / 1000.0;
        double hl = config.events().popularityHalfLife().toMillis() / 1000.0;
        String expected = "(" + pow2("p.log_score - extract(epoch from now()) / " + hl) + ") * " + (hs / hl);
        return "((" + recent(config) + ") - " + expected + ") / sqrt(" + expected + " + 1)";
    }

    /** SQL on items {@code i}: the item trends now (a rule's {@code "trending": true}). */
    static String condition(EmbedrecConfig config) {
        return "EXISTS (SELECT 1 FROM item_popularity p WHERE p.item_pk = i.pk AND " + recent(config) + " >= "
                + config.merchandising().trendingMinEvents() + " AND " + score(config) + " >= "
                + config.merchandising().trendingMinScore() + ")";
    }

    @Transactional
    public Response trending(Integer k, Optional<String> ruleSet, Map<String, List<String>> query) {
        int n = SimilarService.checkK(k, config.recommend().defaultK());
        RuleSets.Applied applied = ruleSets.named(ruleSet);
        RuleStage.Context context = rules.context(OptionalLong.empty());
        Filters filters = rules.restrict(FilterParser.fromQuery(query), applied, context);
        FilterSql where = FilterSql.of(filters);
        // the recent-weight bound first: the table holds every item that ever had an event
        List<Recommended> found = jdbc.query("SELECT i.external_id, i.title, i.categories, t.score FROM "
                + "(SELECT p.item_pk, " + score(config) + " AS score FROM item_popularity p WHERE "
                + "p.short_log_score > '-Infinity' AND " + recent(config) + " >= "
                + config.merchandising().trendingMinEvents() + ") t JOIN items i ON i.pk = t.item_pk WHERE "
                + where.condition() + " ORDER BY t.score DESC, i.external_id LIMIT " + RuleStage.pool(n, applied),
                ps -> where.bind(ps, 1), rs -> new Recommended(rs.getString(1),
                        Math.round(rs.getDouble(4) * 1e6) / 1e6, rs.getString(2),
                        List.of((String[]) rs.getArray(3).getArray())));
        List<Recommended> out = rules.apply(found, n, applied, context, filters, RuleStage.RECOMMENDED);
        return new Response(out, log.record("trending", null, "trending", out));
    }
}
