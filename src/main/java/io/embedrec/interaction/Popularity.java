package io.embedrec.interaction;

/** Log-space popularity arithmetic. Pure. */
public final class Popularity {

    private Popularity() {
    }

    /** log2(2^a + 2^b) without overflow. */
    public static double logSum(double a, double b) {
        double hi = Math.max(a, b);
        double lo = Math.min(a, b);
        return hi + Math.log1p(Math.pow(2, lo - hi)) / Math.log(2);
    }
}
