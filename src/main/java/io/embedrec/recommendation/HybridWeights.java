package io.embedrec.recommendation;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a hybrid feed weighs its sources ({@link Recommender.Source}): the item-item model's score, the item's cosine to
 * the user in the collaborative space and in the content space, and its popularity. Feeds weigh calibrated scores
 * ({@link Recommender}), on every path that combines sources: feeds, "more like this" ({@code mode=blend}),
 * recommend-by-example and the offline evaluation's engine row. Pure.
 *
 * @param items         weight of the item-item score
 * @param collaborative weight of the collaborative cosine
 * @param content       weight of the content cosine
 * @param popularity    weight of the popularity prior (popularity relative to the most popular item, 0..1)
 */
public record HybridWeights(double items, double collaborative, double content, double popularity) {

    public HybridWeights {
        for (double w : new double[]{items, collaborative, content, popularity}) {
            if (!(w >= 0 && w <= 10)) {
                throw new IllegalArgumentException("weights must be between 0 and 10");
            }
        }
        if (items + collaborative + content == 0) {
            throw new IllegalArgumentException("items, collaborative and content weights cannot all be 0");
        }
    }

    /** The configured weights ({@code embedrec.hybrid.*}). */
    public static HybridWeights of(io.embedrec.common.EmbedrecConfig.Hybrid configured) {
        return new HybridWeights(configured.itemsWeight(), configured.collaborativeWeight(),
                configured.contentWeight(), configured.popularityWeight());
    }

    /** The weights by {@link Recommender.Source} ordinal. */
    double[] bySource() {
        double[] w = new double[Recommender.SOURCES];
        w[Recommender.Source.ITEMS.ordinal()] = items;
        w[Recommender.Source.COLLABORATIVE.ordinal()] = collaborative;
        w[Recommender.Source.CONTENT.ordinal()] = content;
        w[Recommender.Source.POPULARITY.ordinal()] = popularity;
        return w;
    }

    /**
     * Parses {@code collaborative:0.7,content:0.2,popularity:0.1}; components left out keep their value in
     * {@code defaults}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static HybridWeights parse(String text, HybridWeights defaults) {
        Map<String, Double> w = new LinkedHashMap<>();
        w.put("items", defaults.items());
        w.put("collaborative", defaults.collaborative());
        w.put("content", defaults.content());
        w.put("popularity", defaults.popularity());
        for (String part : text.split(",")) {
            String[] kv = part.trim().split(":", -1);
            String name = kv[0].trim().toLowerCase(Locale.ROOT);
            if (kv.length != 2 || !w.containsKey(name)) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not name:weight with a name among "
                        + w.keySet());
            }
            double value;
            try {
                value = Double.parseDouble(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the weight of '" + name + "' is not a number: '" + kv[1].trim()
                        + "'");
            }
            if (!(value >= 0 && value <= 10)) {
                throw new IllegalArgumentException("the weight of '" + name + "' must be between 0 and 10 (got "
                        + kv[1].trim() + ")");
            }
            w.put(name, value);
        }
        return new HybridWeights(w.get("items"), w.get("collaborative"), w.get("content"), w.get("popularity"));
    }

    @Override
    public String toString() {
        return "items:" + fmt(items) + ",collaborative:" + fmt(collaborative) + ",content:" + fmt(content) + ",popularity:" + fmt(popularity);
    }

    private static String fmt(double d) {
        double r = Math.round(d * 1e6) / 1e6;
        return r == Math.rint(r) ? String.valueOf((long) r) : String.valueOf(r);
    }
}
