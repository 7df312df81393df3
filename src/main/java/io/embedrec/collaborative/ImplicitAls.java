package io.embedrec.collaborative;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren, Volinsky: "Collaborative Filtering
 * for Implicit Feedback Datasets", ICDM 2008), on an {@link InteractionMatrix}. Pure: arrays in, arrays out.
 *
 * <p>With item factors Y fixed, each user's factors solve
 * {@code (YᵀY + Yᵀ(Cu − I)Y + λ·nu·I) xu = Yᵀ Cu p(u)} (their eq. 4), nu being the number of the user's
 * interactions: the regularisation is weighted by each row's count (ALS-WR, Zhou et al. 2008; Spark's ALS does the
 * same in implicit mode), so one λ fits catalogs and histories of different sizes, and a heavy user's or a popular
 * item's many confidence terms do not drown it. YᵀY is computed once per sweep; Cu − I is non-zero
 * only on the user's own items, so building a row's k x k system costs O(nnz(u)·k²) and solving it (Cholesky, EJML)
 * O(k³). Items are solved the same way with users fixed. Every row is solved on its own from the previous sweep's
 * factors, and YᵀY is summed over fixed blocks in a fixed order, so a seed gives the same factors bit for bit
 * whatever the number of threads.
 */
public final class ImplicitAls {

    /** Rows per Gram block: fixed, so the floating-point summation order never depends on the thread count. */
    private static final int GRAM_BLOCK = 4096;
    /** Rows a worker takes at a time. */
    private static final int SOLVE_CHUNK = 256;
    private static final int MAX_FACTORS = 1000;
    private static final int MAX_ITERATIONS = 1000;

    /**
     * Training settings.
     *
     * @param factors        dimensions of the learned vectors (1–1000)
     * @param regularization λ per interaction: λ times the row's interaction count is added to its system's
     *                       diagonal (&gt; 0)
     * @param alpha          confidence per unit of net weight: {@code c = 1 + alpha |w|} (&ge; 0)
     * @param iterations     sweeps, each solving every user then every item (1–1000)
     * @param seed           seeds the initial item factors
     * @param threads        worker threads (&ge; 1); the result does not depend on it
     */
    public record Settings(int factors, double regularization, double alpha, int iterations, long seed, int threads) {

        public Settings {
            Map<String, String> problems = problems(factors, regularization, alpha, iterations, threads);
            if (!problems.isEmpty()) {
                List<String> all = new ArrayList<>();
                problems.forEach((field, message) -> all.add(field + " " + message));
                throw new IllegalArgumentException(String.join("; ", all));
            }
        }

        /** What is wrong with these values: field name (as in the API) to message, in field order; empty if none. */
        public static Map<String, String> problems(int factors, double regularization, double alpha, int iterations,
                                                   int threads) {
            Map<String, String> out = new LinkedHashMap<>();
            if (factors < 1 || factors > MAX_FACTORS) {
                out.put("factors", "must be between 1 and " + MAX_FACTORS + " (got " + factors + ")");
            }
            if (!(regularization > 0) || !Double.isFinite(regularization)) {
                out.put("regularization", "must be a positive number (got " + regularization + ")");
            }
            if (!(alpha >= 0) || !Double.isFinite(alpha)) {
                out.put("alpha", "must be a number >= 0 (got " + alpha + ")");
            }
            if (iterations < 1 || iterations > MAX_ITERATIONS) {
                out.put("iterations", "must be between 1 and " + MAX_ITERATIONS + " (got " + iterations + ")");
            }
            if (threads < 1) {
                out.put("threads", "must be at least 1 (got " + threads + ")");
            }
            return out;
        }
    }

    /** Called after each half-sweep (users, then items); returning false stops training. */
    @FunctionalInterface
    public interface Progress {
        boolean update(int stepsDone, int steps);
    }

    /**
     * Learned factors, row-major: user u's are {@code users[u*factors ... (u+1)*factors)}. Rows of users and items
     * without a positive interaction are zero (the right-hand side of their system is zero): they have no vector.
     */
    public record Factors(int factors, int userCount, int itemCount, double[] users, double[] items) {

        /** Whether an item learned a vector (some user had a positive net weight on it). */
        public boolean hasItemVector(int item) {
            return norm(items, item) > 0;
        }

        /** Items with a vector, ascending. */
        public int[] itemsWithVectors() {
            int n = 0;
            for (int i = 0; i < itemCount; i++) {
                if (hasItemVector(i)) {
                    n++;
                }
            }
            int[] out = new int[n];
            for (int i = 0, at = 0; i < itemCount; i++) {
                if (hasItemVector(i)) {
                    out[at++] = i;
                }
            }
            return out;
        }

        /**
         * Writes an item's L2-normalised vector as floats into {@code out} at {@code offset} (cosine is what the
         * vector spaces rank by).
         *
         * @throws IllegalArgumentException when the item has no vector
         */
        public void normalisedItem(int item, float[] out, int offset) {
            double n = norm(items, item);
            if (n == 0) {
                throw new IllegalArgumentException("item " + item + " has no vector");
            }
            for (int f = 0; f < factors; f++) {
                out[offset + f] = (float) (items[item * factors + f] / n);
            }
        }

        private double norm(double[] rows, int row) {
            double s = 0;
            for (int f = 0; f < factors; f++) {
                double v = rows[row * factors + f];
                s += v * v;
            }
            return Math.sqrt(s);
        }
    }

    private ImplicitAls() {
    }

    /**
     * Trains on {@code matrix}.
     *
     * @throws CancellationException when {@code progress} returned false
     */
    public static Factors train(InteractionMatrix matrix, Settings settings, Progress progress) {
        int k = settings.factors();
        double[] items = initial(matrix.items(), k, settings.seed());
        double[] users = new double[matrix.users() * k];
        int steps = 2 * settings.iterations();
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "embedrec-als");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int it = 0; it < settings.iterations(); it++) {
                solve(matrix.byUser(), items, users, settings, pool);
                if (!progress.update(2 * it + 1, steps)) {
                    throw new CancellationException("training was cancelled");
                }
                solve(matrix.byItem(), users, items, settings, pool);
                if (!progress.update(2 * it + 2, steps)) {
                    throw new CancellationException("training was cancelled");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Factors(k, matrix.users(), matrix.items(), users, items);
    }

    /** Small Gaussian item factors from the seed (users are solved first, so they need none). */
    static double[] initial(int rows, int k, long seed) {
        Random random = new Random(seed);
        double[] out = new double[rows * k];
        double scale = 0.1 / Math.sqrt(k);
        for (int j = 0; j < out.length; j++) {
            out[j] = random.nextGaussian() * scale;
        }
        return out;
    }

    /** One half-sweep on one thread: solves every row of {@code side} against {@code fixed} into {@code out}. */
    static void solve(InteractionMatrix.Side side, double[] fixed, double[] out, Settings settings) {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            solve(side, fixed, out, settings, pool);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void solve(InteractionMatrix.Side side, double[] fixed, double[] out, Settings settings,
                              ExecutorService pool) {
        int k = settings.factors();
        double[] gram = gram(fixed, k, pool, settings.threads());
        AtomicInteger next = new AtomicInteger();
        int chunks = (side.rows() + SOLVE_CHUNK - 1) / SOLVE_CHUNK;
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < settings.threads(); t++) {
            running.add(pool.submit(() -> {
                RowSolver solver = new RowSolver(k, gram, settings.alpha(), settings.regularization());
                for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                    int end = Math.min(side.rows(), (c + 1) * SOLVE_CHUNK);
                    for (int row = c * SOLVE_CHUNK; row < end; row++) {
                        solver.solve(side, row, fixed, out);
                    }
                }
            }));
        }
        await(running);
    }

    /** YᵀY over all rows of {@code m}: per fixed block, then the blocks summed in order. */
    static double[] gram(double[] m, int k, ExecutorService pool, int threads) {
        int rows = m.length / k;
        int blocks = (rows + GRAM_BLOCK - 1) / GRAM_BLOCK;
        double[][] partial = new double[blocks][];
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(pool.submit(() -> {
                for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
                    double[] g = new double[k * k];
                    int end = Math.min(rows, (b + 1) * GRAM_BLOCK);
                    for (int r = b * GRAM_BLOCK; r < end; r++) {
                        addOuterUpper(g, m, r * k, 1.0, k);
                    }
                    partial[b] = g;
                }
            }));
        }
        await(running);
        double[] g = new double[k * k];
        for (double[] p : partial) {
            for (int j = 0; j < g.length; j++) {
                g[j] += p[j];
            }
        }
        mirrorUpper(g, k);
        return g;
    }

    /** {@code a += scale · v vᵀ} on the upper triangle, v being {@code m[at ... at+k)}. */
    private static void addOuterUpper(double[] a, double[] m, int at, double scale, int k) {
        for (int p = 0; p < k; p++) {
            double s = scale * m[at + p];
            if (s == 0) {
                continue;
            }
            int row = p * k;
            for (int q = p; q < k; q++) {
                a[row + q] += s * m[at + q];
            }
        }
    }

    private static void mirrorUpper(double[] a, int k) {
        for (int p = 0; p < k; p++) {
            for (int q = p + 1; q < k; q++) {
                a[q * k + p] = a[p * k + q];
            }
        }
    }

    private static void await(List<Future<?>> running) {
        try {
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("training was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Per-thread scratch: the k x k system of one row, its right-hand side and the Cholesky solver. */
    private static final class RowSolver {
        private final int k;
        private final double[] gram;
        private final double alpha;
        private final double lambda;
        private final DMatrixRMaj a;
        private final DMatrixRMaj b;
        private final DMatrixRMaj x;
        private final LinearSolverDense<DMatrixRMaj> cholesky;

        RowSolver(int k, double[] gram, double alpha, double lambda) {
            this.k = k;
            this.gram = gram;
            this.alpha = alpha;
            this.lambda = lambda;
            this.a = new DMatrixRMaj(k, k);
            this.b = new DMatrixRMaj(k, 1);
            this.x = new DMatrixRMaj(k, 1);
            this.cholesky = LinearSolverFactory_DDRM.chol(k);
        }

        void solve(InteractionMatrix.Side side, int row, double[] fixed, double[] out) {
            int from = side.start()[row];
            int to = side.start()[row + 1];
            double[] rhs = b.data;
            java.util.Arrays.fill(rhs, 0);
            boolean positive = false;
            for (int e = from; e < to; e++) {
                double w = side.weights()[e];
                if (w > 0) {
                    positive = true;
                    double c = 1 + alpha * w;
                    int at = side.columns()[e] * k;
                    for (int f = 0; f < k; f++) {
                        rhs[f] += c * fixed[at + f];
                    }
                }
            }
            int base = row * k;
            if (!positive) {
                // Yᵀ Cu p(u) = 0, so the solution is 0: no preference, no vector
                java.util.Arrays.fill(out, base, base + k, 0);
                return;
            }
            double[] m = a.data;
            System.arraycopy(gram, 0, m, 0, k * k);
            int interactions = 0;
            for (int e = from; e < to; e++) {
                double w = side.weights()[e];
                if (w != 0) {
                    interactions++;
                }
                double extra = alpha * Math.abs(w); // c − 1
                if (extra != 0) {
                    addOuterUpper(m, fixed, side.columns()[e] * k, extra, k);
                }
            }
            double ridge = lambda * interactions;
            for (int f = 0; f < k; f++) {
                m[f * k + f] += ridge;
            }
            mirrorUpper(m, k);
            if (!cholesky.setA(a)) {
                throw new IllegalStateException("row " + row + ": the system is not positive definite");
            }
            cholesky.solve(b, x);
            System.arraycopy(x.data, 0, out, base, k);
        }
    }
}
