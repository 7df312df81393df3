package io.embedrec.interaction;

/** Log-space popularity arithmetic. Pure. */
public final class Popularity {

    private Popularity() {
    }

    /**
     * log2 of one positive event's contribution, weight x 2^((t - epoch) / half-life): summing contributions ranks
     * items by their decayed popularity now, whatever "now" is.
     */
    public static double logContribution(double weight, long tsMillis, double halfLifeSeconds) {
        return Math.log(weight) / Math.log(2) + tsMillis / 1000.0 / halfLifeSeconds;
    }

    /** log2(2^a + 2^b) without overflow. */
    public static double logSum(double a, double b) {
        double hi = Math.max(a, b);
        double lo = Math.min(a, b);
        return hi + Math.log1p(Math.pow(2, lo - hi)) / Math.log(2);
    }
}
