import io.embedrec.collaborative.ImplicitAls;
import io.embedrec.collaborative.InteractionMatrix;
import io.embedrec.collaborative.TrainingRepository;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Random;

/**
 * The Java side of bench/train/run.sh (single-file program: java -cp <embedrec jar, EJML, pgjdbc> TrainBench.java).
 *
 *   copy JDBC USERS ITEMS N SEED      generates the interactions and COPYs users, items and events into the database
 *   train USERS ITEMS N SEED          generates the same interactions in memory and trains ALS with the service's
 *                                     default settings on 2 threads; prints key=value lines
 *   load JDBC FETCH                   times TrainingRepository.read, the exact code the training job streams events
 *                                     with, and a COPY TO STDOUT of the same query as the floor
 *
 * The generator (seeded): items belong to one of 50 hidden topics (the low-rank taste structure); item popularity is
 * Zipf (s = 1) over a random order; a user's activity is log-normal (mean 50 events) and their taste is a mix of 3
 * topics. Each event picks, with probability 0.75, a topic from the user's mix and an item of that topic by
 * popularity, else an item by global popularity. Types: 70% view (1), 15% click (2), 7% like (5), 5% purchase (8),
 * 3% dislike (-5).
 */
public class TrainBench {

    static final int TOPICS = 50;

    record Data(int[] user, int[] item, double[] weight, int[] type, int[] topicOf) {
    }

    static final String[] TYPES = {"view", "click", "like", "purchase", "dislike"};
    static final double[] WEIGHTS = {1, 2, 5, 8, -5};

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "copy" -> copy(a[1], Integer.parseInt(a[2]), Integer.parseInt(a[3]), Integer.parseInt(a[4]),
                    Long.parseLong(a[5]));
            case "train" -> train(Integer.parseInt(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3]),
                    Long.parseLong(a[4]));
            case "load" -> load(a[1], Integer.parseInt(a[2]));
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    static Data generate(int users, int items, int n, long seed) {
        Random r = new Random(seed);
        int[] topicOf = new int[items];
        double[] pop = new double[items];
        int[] rank = shuffled(items, r);
        for (int i = 0; i < items; i++) {
            topicOf[i] = r.nextInt(TOPICS);
            pop[i] = 1.0 / (rank[i] + 1); // Zipf, s = 1
        }
        double[] globalCum = cumulative(pop);
        int[][] members = new int[TOPICS][];
        double[][] memberCum = new double[TOPICS][];
        for (int t = 0; t < TOPICS; t++) {
            int tt = t;
            members[t] = java.util.stream.IntStream.range(0, items).filter(i -> topicOf[i] == tt).toArray();
            double[] w = new double[members[t].length];
            for (int k = 0; k < w.length; k++) {
                w[k] = pop[members[t][k]];
            }
            memberCum[t] = cumulative(w);
        }
        double[] activity = new double[users];
        double sum = 0;
        for (int u = 0; u < users; u++) {
            activity[u] = Math.exp(0.8 * r.nextGaussian());
            sum += activity[u];
        }
        int[] count = new int[users];
        int assigned = 0;
        for (int u = 0; u < users; u++) {
            count[u] = (int) Math.floor(n * activity[u] / sum);
            assigned += count[u];
        }
        for (int u = 0; assigned < n; u = (u + 1) % users) {
            count[u]++;
            assigned++;
        }
        int[] user = new int[n];
        int[] item = new int[n];
        double[] weight = new double[n];
        int[] type = new int[n];
        int at = 0;
        int[] mix = new int[3];
        double[] mixCum = new double[3];
        for (int u = 0; u < users; u++) {
            double s = 0;
            for (int m = 0; m < 3; m++) {
                mix[m] = r.nextInt(TOPICS);
                s += -Math.log(r.nextDouble());
                mixCum[m] = s;
            }
            for (int e = 0; e < count[u]; e++) {
                int i;
                if (r.nextDouble() < 0.75) {
                    int t = mix[pick(mixCum, r.nextDouble() * mixCum[2])];
                    i = members[t][pick(memberCum[t], r.nextDouble() * memberCum[t][memberCum[t].length - 1])];
                } else {
                    i = pick(globalCum, r.nextDouble() * globalCum[items - 1]);
                }
                double x = r.nextDouble();
                int ty = x < 0.70 ? 0 : x < 0.85 ? 1 : x < 0.92 ? 2 : x < 0.97 ? 3 : 4;
                user[at] = u;
                item[at] = i;
                type[at] = ty;
                weight[at] = WEIGHTS[ty];
                at++;
            }
        }
        return new Data(user, item, weight, type, topicOf);
    }

    static int[] shuffled(int n, Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static double[] cumulative(double[] w) {
        double[] c = new double[w.length];
        double s = 0;
        for (int k = 0; k < w.length; k++) {
            s += w[k];
            c[k] = s;
        }
        return c;
    }

    /** The first index whose cumulative weight exceeds x. */
    static int pick(double[] cum, double x) {
        int at = Arrays.binarySearch(cum, x);
        return Math.min(cum.length - 1, at >= 0 ? at + 1 : -at - 1);
    }

    static Connection db(String url) throws Exception {
        return DriverManager.getConnection(url, "embedrec", "embedrec");
    }

    static void copy(String url, int users, int items, int n, long seed) throws Exception {
        Data d = generate(users, items, n, seed);
        try (Connection c = db(url); Statement s = c.createStatement()) {
            s.execute("TRUNCATE items, users RESTART IDENTITY CASCADE");
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("COPY users (external_id) FROM STDIN", rows(users, (k, b) -> b.append('u').append(k)));
            copy.copyIn("COPY items (external_id, title) FROM STDIN",
                    rows(items, (k, b) -> b.append('i').append(k).append("\titem ").append(k)));
            long t0 = 1_767_225_600_000L; // 2026-01-01, spread over 90 days
            copy.copyIn("COPY events (event_id, user_pk, item_pk, type, weight, ts) FROM STDIN", rows(n, (k, b) ->
                    b.append('e').append(k).append('\t').append(d.user()[k] + 1).append('\t').append(d.item()[k] + 1)
                            .append('\t').append(TYPES[d.type()[k]]).append('\t').append(d.weight()[k]).append('\t')
                            .append(new java.sql.Timestamp(t0 + (long) k * 7_776_000_000L / n)
                                    .toInstant().toString())));
            s.execute("ANALYZE users");
            s.execute("ANALYZE items");
            s.execute("ANALYZE events");
        }
    }

    interface Row {
        void write(int k, StringBuilder b);
    }

    /** Tab-separated COPY text, produced as it is read. */
    static InputStream rows(int n, Row row) {
        return new InputStream() {
            int next;
            byte[] buf = new byte[0];
            int at;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] out, int off, int len) {
                if (at == buf.length) {
                    if (next == n) {
                        return -1;
                    }
                    StringBuilder b = new StringBuilder(1 << 16);
                    for (int k = 0; k < 1000 && next < n; k++, next++) {
                        row.write(next, b);
                        b.append('\n');
                    }
                    buf = b.toString().getBytes(StandardCharsets.UTF_8);
                    at = 0;
                }
                int m = Math.min(len, buf.length - at);
                System.arraycopy(buf, at, out, off, m);
                at += m;
                return m;
            }
        };
    }

    static void train(int users, int items, int n, long seed) {
        long g0 = System.nanoTime();
        Data d = generate(users, items, n, seed);
        long g1 = System.nanoTime();
        InteractionMatrix m = InteractionMatrix.of(users, items, d.user(), d.item(), d.weight());
        long m1 = System.nanoTime();
        // the service's defaults (embedrec.collaborative.*), 2 threads as on the 2-core machine
        ImplicitAls.Settings s = new ImplicitAls.Settings(64, 0.1, 2, 15, 42, 2);
        long[] last = {System.nanoTime()};
        double[] slowest = {0};
        ImplicitAls.Factors f = ImplicitAls.train(m, s, (done, total) -> {
            long now = System.nanoTime();
            slowest[0] = Math.max(slowest[0], (now - last[0]) / 1e9);
            last[0] = now;
            System.err.printf("  half-sweep %d/%d: %.1f s%n", done, total, (now - m1) / 1e9);
            return true;
        });
        long t1 = System.nanoTime();
        long heapPeak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                heapPeak += p.getPeakUsage().getUsed();
            }
        }
        System.out.printf("generate_s=%.2f%n", (g1 - g0) / 1e9);
        System.out.printf("matrix_s=%.2f%n", (m1 - g1) / 1e9);
        System.out.printf("train_s=%.2f%n", (t1 - m1) / 1e9);
        System.out.printf("sweep_s=%.2f%n", (t1 - m1) / 1e9 / s.iterations());
        System.out.printf("slowest_half_sweep_s=%.2f%n", slowest[0]);
        System.out.printf("nnz=%d%n", m.nonZeros());
        System.out.printf("items_with_vectors=%d%n", f.itemsWithVectors().length);
        System.out.printf("matrix_mb=%.0f%n", (m.nonZeros() * 24.0 + (users + items + 2) * 8.0) / 1e6);
        System.out.printf("factors_mb=%.0f%n", (users + items) * 64 * 8.0 / 1e6);
        System.out.printf("heap_peak_mb=%.0f%n", heapPeak / 1e6);
        System.out.printf("topic_precision=%.3f%n", topicPrecision(f, d.topicOf(), items, 500, seed));
    }

    /** Over sampled items with vectors: the share of their 10 nearest (cosine) items that share their hidden topic. */
    static double topicPrecision(ImplicitAls.Factors f, int[] topicOf, int items, int samples, long seed) {
        int k = f.factors();
        int[] with = f.itemsWithVectors();
        float[] unit = new float[with.length * k];
        for (int j = 0; j < with.length; j++) {
            f.normalisedItem(with[j], unit, j * k);
        }
        Random r = new Random(seed + 1);
        double hits = 0;
        for (int s = 0; s < samples; s++) {
            int q = r.nextInt(with.length);
            double[] best = new double[10];
            int[] bestAt = new int[10];
            Arrays.fill(best, -2);
            for (int j = 0; j < with.length; j++) {
                if (j == q) {
                    continue;
                }
                double dot = 0;
                for (int x = 0; x < k; x++) {
                    dot += unit[q * k + x] * unit[j * k + x];
                }
                if (dot > best[9]) {
                    int p = 9;
                    while (p > 0 && best[p - 1] < dot) {
                        best[p] = best[p - 1];
                        bestAt[p] = bestAt[p - 1];
                        p--;
                    }
                    best[p] = dot;
                    bestAt[p] = j;
                }
            }
            for (int p = 0; p < 10; p++) {
                if (topicOf[with[bestAt[p]]] == topicOf[with[q]]) {
                    hits++;
                }
            }
        }
        return hits / (samples * 10.0);
    }

    static void load(String url, int fetch) throws Exception {
        try (Connection c = db(url)) {
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            TrainingRepository.Interactions in = TrainingRepository.read(c, fetch);
            long t1 = System.nanoTime();
            c.commit();
            long[] bytes = {0};
            OutputStream counting = new OutputStream() {
                @Override
                public void write(int b) {
                    bytes[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes[0] += len;
                }
            };
            long c0 = System.nanoTime();
            c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (SELECT user_pk, item_pk, weight FROM events) "
                    + "TO STDOUT (FORMAT binary)", counting);
            long c1 = System.nanoTime();
            System.out.printf("load_s=%.2f%n", (t1 - t0) / 1e9);
            System.out.printf("load_events=%d%n", in.events());
            System.out.printf("load_nnz=%d%n", in.matrix().nonZeros());
            System.out.printf("copy_s=%.2f%n", (c1 - c0) / 1e9);
            System.out.printf("copy_mb=%.0f%n", bytes[0] / 1e6);
        }
    }
}
