package io.embedrec.recommendation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The one ranking of a recommendation's candidates, shared by every path that combines sources and by the offline
 * evaluation: candidates arrive with a raw score from each named {@link Source} that knows them; each source's
 * scores are calibrated over the candidate pool ({@link Calibration}), weighted and summed; candidates are ordered by
 * that sum (ties: id); maximal marginal relevance picks the list when diversity is asked; and a bounded number of
 * new items (no behaviour yet, so only content knows them) fill the last slots when they resemble the user enough.
 * Pure: numbers in, ranked ids out.
 *
 * <p>A source that does not know a candidate (no vector in that space, not below the item-item neighbours' cut,
 * not among the popular items) ranks it below every candidate it knows: with z-scores one standard deviation below
 * the lowest known, with rank fusion no share at all. An item never gains by lacking a vector.
 */
public final class Recommender {

    /** Where a candidate's scores come from. */
    public enum Source {
        /** The item-item model: Σ weight(history item → candidate). */
        ITEMS,
        /** Cosine to the user (or example) in the collaborative space. */
        COLLABORATIVE,
        /** Cosine to the user (or example) in the content space. */
        CONTENT,
        /** Popularity relative to the most popular item, 0..1. */
        POPULARITY
    }

    /** How raw scores of different sources are made comparable. */
    public enum Calibration {
        /** Standardised over the candidates the source knows: (s − mean) / standard deviation. */
        ZSCORE,
        /** Reciprocal rank fusion (Cormack et al. 2009): 1 / (60 + rank) within the source. */
        RANK
    }

    static final int SOURCES = Source.values().length;
    static final double RRF_K = 60;

    /**
     * A candidate: its raw score per source (indexed by {@link Source#ordinal()}, NaN where the source does not
     * know it) and whether it is new (no behaviour yet: it may only enter through the new-item slots).
     */
    public record Candidate(String id, double[] raw, boolean fresh) {
        public Candidate {
            if (raw.length != SOURCES) {
                throw new IllegalArgumentException("expected " + SOURCES + " source scores, got " + raw.length);
            }
        }

        /** A candidate no source knows yet; set scores with {@link #with}. */
        public static Candidate of(String id, boolean fresh) {
            double[] raw = new double[SOURCES];
            Arrays.fill(raw, Double.NaN);
            return new Candidate(id, raw, fresh);
        }

        public Candidate with(Source s, double score) {
            raw[s.ordinal()] = score;
            return this;
        }

        public double raw(Source s) {
            return raw[s.ordinal()];
        }
    }

    /**
     * @param weights           weight per source (by ordinal), each ≥ 0
     * @param calibration       how scores are made comparable
     * @param newSlots          at most this many new items in a list
     * @param newMinSimilarity  a new item needs at least this raw content score
     * @param diversity         0..1: maximal marginal relevance over the given vectors (0: plain order)
     */
    public record Settings(double[] weights, Calibration calibration, int newSlots, double newMinSimilarity,
                           double diversity) {
        public Settings {
            if (weights.length != SOURCES) {
                throw new IllegalArgumentException("expected " + SOURCES + " weights, got " + weights.length);
            }
            for (double w : weights) {
                if (!(w >= 0) || !Double.isFinite(w)) {
                    throw new IllegalArgumentException("weights must be finite and >= 0");
                }
            }
            if (!(diversity >= 0 && diversity <= 1)) {
                throw new IllegalArgumentException("diversity must be between 0 and 1, got " + diversity);
            }
            if (newSlots < 0) {
                throw new IllegalArgumentException("new slots must be >= 0, got " + newSlots);
            }
        }
    }

    /**
     * A ranked item: its combined score, the source that contributed most to it (the reason), and whether it came
     * in through a new-item slot.
     */
    public record Ranked(String id, double score, Source lead, boolean fresh) {
    }

    private Recommender() {
    }

    /**
     * Ranks the candidates and returns at most k.
     *
     * @param vectors unit vectors of the candidates for diversity (aligned with {@code candidates}; null entries
     *                are left out of an MMR pick); may be null when diversity is 0
     */
    public static List<Ranked> rank(List<Candidate> candidates, Settings settings, int k, float[][] vectors) {
        int n = candidates.size();
        double[][] calibrated = calibrate(candidates, settings.calibration());
        double[] total = new double[n];
        Source[] lead = new Source[n];
        for (int c = 0; c < n; c++) {
            double best = Double.NEGATIVE_INFINITY;
            for (Source s : Source.values()) {
                double w = settings.weights()[s.ordinal()];
                if (w == 0) {
                    continue;
                }
                double part = w * calibrated[s.ordinal()][c];
                total[c] += part;
                // the reason is the source that lifted the item most, among those that know it
                if (!Double.isNaN(candidates.get(c).raw(s)) && part > best) {
                    best = part;
                    lead[c] = s;
                }
            }
        }
        List<Integer> warm = new ArrayList<>();
        List<Integer> fresh = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            (candidates.get(c).fresh() ? fresh : warm).add(c);
        }
        Comparator<Integer> byTotal = Comparator.comparingDouble((Integer c) -> -total[c])
                .thenComparing(c -> candidates.get(c).id());
        warm.sort(byTotal);
        // new items by content cosine to the user: those at the minimum similarity first (a candidate without a
        // content score is never above one with it)
        fresh.sort(Comparator.comparing((Integer c) -> !(candidates.get(c).raw(Source.CONTENT)
                        >= settings.newMinSimilarity()))
                .thenComparingDouble(c -> Double.isNaN(candidates.get(c).raw(Source.CONTENT)) ? Double.POSITIVE_INFINITY
                        : -candidates.get(c).raw(Source.CONTENT))
                .thenComparing(c -> candidates.get(c).id()));
        int qualified = (int) fresh.stream()
                .filter(c -> candidates.get(c).raw(Source.CONTENT) >= settings.newMinSimilarity()).count();
        int newCount = Math.min(Math.min(settings.newSlots(), qualified), k);
        List<Integer> picked = pick(warm, total, vectors, Math.min(k - newCount, warm.size()),
                settings.diversity());
        // new items take their share of the slots; when the warm candidates run out (a small catalog), the rest of
        // the new items fill the list, closest first, so a feed still has k items
        int freshTake = warm.size() >= k - newCount ? newCount : Math.min(fresh.size(), k - picked.size());
        List<Ranked> out = new ArrayList<>(k);
        for (int c : picked) {
            out.add(new Ranked(candidates.get(c).id(), total[c], lead[c], false));
        }
        for (int x = 0; x < freshTake; x++) {
            int c = fresh.get(x);
            out.add(new Ranked(candidates.get(c).id(), total[c], Source.CONTENT, true));
        }
        return out;
    }

    /** Calibrated score per source and candidate; a candidate the source does not know ranks below its known. */
    static double[][] calibrate(List<Candidate> candidates, Calibration calibration) {
        int n = candidates.size();
        double[][] out = new double[SOURCES][n];
        for (int s = 0; s < SOURCES; s++) {
            double[] raw = new double[n];
            int known = 0;
            for (int c = 0; c < n; c++) {
                raw[c] = candidates.get(c).raw()[s];
                if (!Double.isNaN(raw[c])) {
                    known++;
                }
            }
            if (known == 0) {
                continue;
            }
            double[] cal = out[s];
            if (calibration == Calibration.ZSCORE) {
                double mean = 0;
                for (double r : raw) {
                    if (!Double.isNaN(r)) {
                        mean += r;
                    }
                }
                mean /= known;
                double var = 0;
                for (double r : raw) {
                    if (!Double.isNaN(r)) {
                        var += (r - mean) * (r - mean);
                    }
                }
                double sd = Math.sqrt(var / known);
                double min = Double.POSITIVE_INFINITY;
                for (int c = 0; c < n; c++) {
                    if (!Double.isNaN(raw[c])) {
                        cal[c] = sd > 0 ? (raw[c] - mean) / sd : 0;
                        min = Math.min(min, cal[c]);
                    }
                }
                for (int c = 0; c < n; c++) {
                    if (Double.isNaN(raw[c])) {
                        cal[c] = min - 1;
                    }
                }
            } else {
                Integer[] order = new Integer[n];
                for (int c = 0; c < n; c++) {
                    order[c] = c;
                }
                // rank by raw score descending (ties: id), unknown last with no share
                Arrays.sort(order, Comparator.comparingDouble((Integer c) -> Double.isNaN(raw[c])
                                ? Double.POSITIVE_INFINITY : -raw[c])
                        .thenComparing(c -> candidates.get(c).id()));
                for (int r = 0; r < n; r++) {
                    int c = order[r];
                    cal[c] = Double.isNaN(raw[c]) ? 0 : 1 / (RRF_K + r + 1);
                }
            }
        }
        return out;
    }

    /** The first {@code m} of the ranked warm candidates, or the MMR selection of m when diversity is asked. */
    private static List<Integer> pick(List<Integer> ranked, double[] total, float[][] vectors, int m,
                                      double diversity) {
        if (diversity <= 0 || vectors == null) {
            return ranked.subList(0, m);
        }
        List<Integer> pool = ranked.stream().filter(c -> vectors[c] != null).toList();
        double[] rel = new double[pool.size()];
        float[][] vs = new float[pool.size()][];
        for (int x = 0; x < pool.size(); x++) {
            rel[x] = total[pool.get(x)];
            vs[x] = vectors[pool.get(x)];
        }
        List<Integer> out = new ArrayList<>();
        for (int x : MaximalMarginalRelevance.select(rel, vs, m, diversity)) {
            out.add(pool.get(x));
        }
        return out;
    }
}
