package io.embedrec.evaluation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Interaction histories with hidden structure, so each recommender has something real to find (fixed seed,
 * deterministic). Pure.
 *
 * <ul>
 *   <li><b>Hidden factors</b>: every item belongs to one of {@code latentDims} topics and has a unit latent vector
 *       near its topic's axis; every user likes one main and one secondary topic. A user picks item i with
 *       probability proportional to exp(affinity x u.q_i + log popularity_i): collaborative methods can recover
 *       the latent vectors from co-consumption.</li>
 *   <li><b>Content, weakly and partly related to taste</b> (as short catalog text is: on real data item titles
 *       and genres predict behaviour far worse than co-consumption): an item's text is mostly its <i>genre</i>, one
 *       of {@code genres} shared across tastes (a genre is drawn at random for most items, so items with alike text
 *       have unrelated audiences), plus a {@code contentSignal}-weighted random projection of its latent vector,
 *       plus noise ({@code contentNoise}). Content is available for items nobody touched, but tuning on it cannot
 *       make it look better than it is on real data. Defaults are never tuned on this generator.</li>
 *   <li><b>Popularity skew</b>: intrinsic log-popularity falls with a Zipf exponent over a random item order.</li>
 *   <li><b>Taste drift</b>: a user's taste moves from the main topic towards the secondary one over time, so recent
 *       events predict better than old ones (recency decay has something to gain).</li>
 *   <li><b>New items</b>: a share of items is released late (in the last fifth of the time span); before that
 *       nobody can pick them, so a time split finds them only in test, as cold items.</li>
 *   <li><b>Negative feedback</b>: a share of events are dislikes of items far from the user's taste.</li>
 * </ul>
 */
public final class SyntheticHistory {

    /** Event types with the default weights of {@code embedrec.events.weights}. */
    public enum Type {
        VIEW(1), CLICK(2), PURCHASE(8), DISLIKE(-5);

        public final double weight;

        Type(double weight) {
            this.weight = weight;
        }
    }

    /**
     * @param eventsPerUser  mean events per user (each user has between half and one and a half times as many)
     * @param contentNoise   standard deviation of the noise added to each projected content coordinate
     * @param contentSignal  weight of the item's latent vector in its content (its genre weighs 1)
     * @param genres         genres shared across topics; an item takes its topic's genre with probability
     *                       {@code contentSignal}, else a random one
     * @param affinity       how strongly taste drives choices (logit scale of u.q)
     * @param popularitySkew Zipf exponent of intrinsic popularity (0: uniform)
     * @param newItemShare   share of items released in the last fifth of the time span
     * @param drift          how far a user's taste moves towards the secondary topic by the end (0..1)
     * @param dislikeShare   share of events that are dislikes
     */
    public record Settings(int users, int items, int latentDims, int contentDims, int eventsPerUser,
                           double contentNoise, double contentSignal, int genres, double affinity,
                           double popularitySkew, double newItemShare, double drift, double dislikeShare, long seed) {
        public Settings {
            if (users < 1 || items < 2 || latentDims < 1 || contentDims < 1 || eventsPerUser < 2 || genres < 1) {
                throw new IllegalArgumentException("users, items, dimensions and events per user must be positive");
            }
            if (!(newItemShare >= 0 && newItemShare < 1) || !(drift >= 0 && drift <= 1)
                    || !(dislikeShare >= 0 && dislikeShare < 1)) {
                throw new IllegalArgumentException("shares and drift must lie in [0, 1)");
            }
        }

        /** A small, quick history for tests: 300 users, 600 items, 12 topics, 5 genres, weak content. */
        public static Settings small(long seed) {
            return new Settings(300, 600, 12, 32, 30, 0.9, 0.35, 5, 7.0, 0.8, 0.1, 0.5, 0.04, seed);
        }
    }

    /**
     * @param catalog    content vectors (unit length)
     * @param events     grouped by user, time-ordered within a user
     * @param types      each event's type
     * @param itemTopic  each item's main topic
     * @param releasedAt each item's release time (epoch ms); new items are released late
     * @param latent     the hidden item vectors, row-major items x latentDims
     */
    public record History(Evaluator.Catalog catalog, Evaluator.Events events, Type[] types, int[] itemTopic,
                          long[] releasedAt, float[] latent, boolean[] newItem) {
    }

    /** The span of the history: events fall in [START, START + SPAN). */
    public static final long START = 1_700_000_000_000L;
    public static final long SPAN = 180L * 24 * 3600 * 1000;

    private SyntheticHistory() {
    }

    public static History generate(Settings s) {
        SplittableRandom rng = new SplittableRandom(s.seed());
        int f = s.latentDims();
        int n = s.items();
        // items: latent vector near a topic axis; intrinsic popularity; release time
        float[] latent = new float[n * f];
        int[] topic = new int[n];
        for (int i = 0; i < n; i++) {
            topic[i] = i % f;
            double[] q = new double[f];
            for (int j = 0; j < f; j++) {
                q[j] = 0.35 * rng.nextGaussian();
            }
            q[topic[i]] += 1;
            unit(q, latent, i * f);
        }
        double[] logPop = new double[n];
        int[] order = shuffled(n, rng);
        for (int r = 0; r < n; r++) {
            logPop[order[r]] = -s.popularitySkew() * Math.log(r + 1.0);
        }
        long[] released = new long[n];
        boolean[] isNew = new boolean[n];
        long newItems = Math.round(n * s.newItemShare());
        int made = 0;
        for (int i : shuffled(n, rng)) {
            if (made++ < newItems) {
                isNew[i] = true;
                released[i] = START + (long) (SPAN * (0.8 + 0.1 * rng.nextDouble()));
            } else {
                released[i] = START;
            }
        }
        // content: the genre's direction, plus a weak projection of the latent vector, plus noise
        int d = s.contentDims();
        double[] projection = new double[d * f];
        for (int k = 0; k < projection.length; k++) {
            projection[k] = rng.nextGaussian() / Math.sqrt(f);
        }
        double[] genreDirection = new double[s.genres() * d];
        for (int k = 0; k < genreDirection.length; k++) {
            genreDirection[k] = rng.nextGaussian() / Math.sqrt(d);
        }
        float[] content = new float[n * d];
        for (int i = 0; i < n; i++) {
            int genre = rng.nextDouble() < s.contentSignal() ? topic[i] % s.genres() : rng.nextInt(s.genres());
            double[] c = new double[d];
            for (int a = 0; a < d; a++) {
                double v = 0;
                for (int j = 0; j < f; j++) {
                    v += projection[a * f + j] * latent[i * f + j];
                }
                c[a] = genreDirection[genre * d + a] + s.contentSignal() * v
                        + s.contentNoise() * rng.nextGaussian() / Math.sqrt(d);
            }
            unit(c, content, i * d);
        }
        // users: a main and a secondary topic; events drift from one to the other
        int cap = s.users() * s.eventsPerUser() * 2;
        int[] user = new int[cap];
        int[] item = new int[cap];
        double[] weight = new double[cap];
        long[] ts = new long[cap];
        Type[] types = new Type[cap];
        int e = 0;
        double[] logits = new double[n];
        for (int u = 0; u < s.users(); u++) {
            int main = rng.nextInt(f);
            int second = (main + 1 + rng.nextInt(f - 1 == 0 ? 1 : f - 1)) % f;
            double[] noise = new double[f];
            for (int j = 0; j < f; j++) {
                noise[j] = 0.3 * rng.nextGaussian();
            }
            int count = s.eventsPerUser() / 2 + rng.nextInt(s.eventsPerUser() + 1);
            long[] times = new long[count];
            for (int k = 0; k < count; k++) {
                times[k] = START + (long) (rng.nextDouble() * SPAN);
            }
            Arrays.sort(times);
            double[] taste = new double[f];
            for (int k = 0; k < count; k++) {
                double t = (times[k] - START) / (double) SPAN;
                for (int j = 0; j < f; j++) {
                    taste[j] = noise[j];
                }
                taste[main] += 1 - s.drift() * t;
                taste[second] += 0.5 + s.drift() * t;
                double norm = Math.sqrt(dot(taste, taste));
                boolean dislike = rng.nextDouble() < s.dislikeShare();
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    if (released[i] > times[k]) {
                        logits[i] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    double a = 0;
                    for (int j = 0; j < f; j++) {
                        a += taste[j] * latent[i * f + j];
                    }
                    a /= norm;
                    logits[i] = (dislike ? -s.affinity() * a : s.affinity() * a) + logPop[i];
                    max = Math.max(max, logits[i]);
                }
                int pick = sample(logits, max, rng);
                user[e] = u;
                item[e] = pick;
                ts[e] = times[k];
                double r = rng.nextDouble();
                types[e] = dislike ? Type.DISLIKE : r < 0.1 ? Type.PURCHASE : r < 0.4 ? Type.CLICK : Type.VIEW;
                weight[e] = types[e].weight;
                e++;
            }
        }
        return new History(new Evaluator.Catalog(n, d, content),
                new Evaluator.Events(e, Arrays.copyOf(user, e), Arrays.copyOf(item, e), Arrays.copyOf(weight, e),
                        Arrays.copyOf(ts, e)), Arrays.copyOf(types, e), topic, released, latent, isNew);
    }

    private static int sample(double[] logits, double max, SplittableRandom rng) {
        double total = 0;
        for (double l : logits) {
            if (l != Double.NEGATIVE_INFINITY) {
                total += Math.exp(l - max);
            }
        }
        double r = rng.nextDouble() * total;
        int last = -1;
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] != Double.NEGATIVE_INFINITY) {
                last = i;
                r -= Math.exp(logits[i] - max);
                if (r <= 0) {
                    return i;
                }
            }
        }
        return last;
    }

    private static int[] shuffled(int n, SplittableRandom rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static void unit(double[] v, float[] out, int at) {
        double norm = Math.sqrt(dot(v, v));
        for (int j = 0; j < v.length; j++) {
            out[at + j] = (float) (v[j] / norm);
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }
}
