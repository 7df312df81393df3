package io.embedrec.interaction;

/**
 * User vectors: the normalised sum over a user's events of weight x decay x item vector. Decay is
 * 2^(-age / half-life), by time (age = seconds before the user's newest event) or by recency rank (age = number of
 * the user's newer events), or none. Pure: no clock, no I/O.
 *
 * <p>The sum is kept relative to the newest event, so adding a newer event rescales the sum once (O(d)) and a
 * history years old never underflows: the newest event always has decay 1. Folding events one at a time in
 * (timestamp, arrival) order gives exactly the same arithmetic as a rebuild from history; an event older than the
 * newest is added in place under time decay (O(d)), while under rank decay it shifts every older event's rank, so
 * the caller rebuilds that user. Neutral events (weight 0) are not folded at all: callers skip them.
 */
public final class UserVectorAggregator {

    public enum Decay { NONE, TIME, RANK }

    /**
     * @param decay            kind of decay
     * @param halfLifeSeconds  half-life of time decay
     * @param halfLifeEvents   half-life of rank decay, in events
     */
    public record Settings(Decay decay, double halfLifeSeconds, double halfLifeEvents) {
    }

    /** Running state of one user in one space; {@code sum} is changed in place. */
    public static final class State {
        public final double[] sum;
        /** Timestamp (epoch ms) of the newest event folded in; Long.MIN_VALUE when none. */
        public long refMillis;
        /** Events folded in. */
        public long count;
        public long positives;
        public long negatives;

        public State(int dimensions) {
            this.sum = new double[dimensions];
            this.refMillis = Long.MIN_VALUE;
        }

        public State(double[] sum, long refMillis, long count, long positives, long negatives) {
            this.sum = sum;
            this.refMillis = refMillis;
            this.count = count;
            this.positives = positives;
            this.negatives = negatives;
        }
    }

    /** What folding one event did. */
    public enum Outcome { APPLIED, NEEDS_REBUILD }

    private final Settings settings;

    public UserVectorAggregator(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Folds one event into {@code state}. Events must come in (timestamp, arrival) order for a rebuild; for live
     * updates an older event returns {@link Outcome#NEEDS_REBUILD} under rank decay and changes nothing.
     */
    public Outcome fold(State state, double weight, long tsMillis, float[] itemVector) {
        if (itemVector.length != state.sum.length) {
            throw new IllegalArgumentException("item vector has " + itemVector.length + " dimensions, the user "
                    + "vector " + state.sum.length);
        }
        if (!Double.isFinite(weight) || weight == 0) {
            // a neutral event (a rating at the centre) carries no direction; counting it would still age the others
            throw new IllegalArgumentException("weight must be finite and non-zero, got " + weight);
        }
        double factor;
        if (state.count == 0 || tsMillis >= state.refMillis) {
            double shift = switch (settings.decay()) {
                case NONE -> 1.0;
                case TIME -> state.count == 0 ? 1.0 : halve((tsMillis - state.refMillis) / 1000.0,
                        settings.halfLifeSeconds());
                case RANK -> state.count == 0 ? 1.0 : halve(1.0, settings.halfLifeEvents());
            };
            if (shift != 1.0) {
                for (int k = 0; k < state.sum.length; k++) {
                    state.sum[k] *= shift;
                }
            }
            state.refMillis = state.count == 0 ? tsMillis : Math.max(state.refMillis, tsMillis);
            factor = weight;
        } else {
            switch (settings.decay()) {
                case RANK:
                    return Outcome.NEEDS_REBUILD;
                case TIME:
                    factor = weight * halve((state.refMillis - tsMillis) / 1000.0, settings.halfLifeSeconds());
                    break;
                default:
                    factor = weight;
            }
        }
        for (int k = 0; k < state.sum.length; k++) {
            state.sum[k] += factor * itemVector[k];
        }
        state.count++;
        if (weight > 0) {
            state.positives++;
        } else {
            state.negatives++;
        }
        return Outcome.APPLIED;
    }

    /** The decay of an event {@code age} units old relative to the newest event (1 for the newest). */
    public double decay(long ageMillis, long newerEvents) {
        return switch (settings.decay()) {
            case NONE -> 1.0;
            case TIME -> halve(ageMillis / 1000.0, settings.halfLifeSeconds());
            case RANK -> halve(newerEvents, settings.halfLifeEvents());
        };
    }

    /** The unit-length user vector, or {@code null} when the sum is zero (no usable history). */
    public static float[] normalised(double[] sum) {
        double norm = 0;
        for (double v : sum) {
            norm += v * v;
        }
        if (!(norm > 0) || !Double.isFinite(norm)) {
            return null;
        }
        double inv = 1.0 / Math.sqrt(norm);
        float[] out = new float[sum.length];
        for (int k = 0; k < sum.length; k++) {
            out[k] = (float) (sum[k] * inv);
        }
        return out;
    }

    private static double halve(double age, double halfLife) {
        return halfLife > 0 ? Math.pow(2.0, -age / halfLife) : (age > 0 ? 0.0 : 1.0);
    }
}
