package io.embedrec.recommendation;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;

/**
 * The statistics of an experiment report (commons-math3): a rate's 95% Wilson score interval, which stays inside
 * 0–1 and behaves for small counts and rates near 0; and a variant's difference to the control with its 95% interval
 * (unpooled standard error) and the two-sided p-value of the two-proportion z-test (pooled under "no difference").
 * Each answer served is one trial, clicked or not. Pure.
 */
final class ExperimentStats {

    static final double CONFIDENCE = 0.95;
    private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);
    private static final double Z = NORMAL.inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);

    /** A rate with its interval. */
    record Rate(double value, double low, double high) {
    }

    /** A variant's difference to the control: the difference in rate, its interval, the p-value, significance. */
    record Difference(double value, double low, double high, double pValue, boolean significant) {
    }

    private ExperimentStats() {
    }

    static Rate rate(long successes, long trials) {
        if (trials == 0) {
            return new Rate(0, 0, 1);
        }
        ConfidenceInterval ci = new WilsonScoreInterval().createInterval((int) Math.min(trials, Integer.MAX_VALUE),
                (int) Math.min(successes, Integer.MAX_VALUE), CONFIDENCE);
        return new Rate(round((double) successes / trials), round(ci.getLowerBound()), round(ci.getUpperBound()));
    }

    static Difference difference(long x, long n, long xControl, long nControl) {
        if (n == 0 || nControl == 0) {
            return new Difference(0, -1, 1, 1, false);
        }
        double p = (double) x / n;
        double q = (double) xControl / nControl;
        double d = p - q;
        double se = Math.sqrt(p * (1 - p) / n + q * (1 - q) / nControl);
        double pooled = (double) (x + xControl) / (n + nControl);
        double sePooled = Math.sqrt(pooled * (1 - pooled) * (1.0 / n + 1.0 / nControl));
        double pValue = sePooled == 0 ? 1 : 2 * (1 - NORMAL.cumulativeProbability(Math.abs(d) / sePooled));
        return new Difference(round(d), round(d - Z * se), round(d + Z * se), round(pValue),
                pValue < 1 - CONFIDENCE);
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
