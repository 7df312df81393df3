package io.embedrec.recommendation;

/**
 * How a personal feed scores a candidate: cosine to the user vector blended with normalised popularity while the
 * user warms up, plus a small popularity prior. Shared by the feed and its offline evaluation. Pure.
 */
public final class FeedBlend {

    private FeedBlend() {
    }

    /** Candidates (nearest items, and popular items to blend in) fetched for a feed of {@code k} items. */
    public static int candidates(int k, int candidateFactor) {
        return Math.min(FeedService.MAX_CANDIDATES, Math.max(k, k * candidateFactor));
    }

    /** The vector's share: grows with each positive event until {@code warmUpEvents}, then 1. */
    public static double beta(long positives, int warmUpEvents) {
        return Math.min(1.0, (double) positives / Math.max(1, warmUpEvents));
    }

    /**
     * @param cos        cosine similarity of the item to the user vector
     * @param popularity the item's popularity relative to the most popular item (0..1), 0 when not among the popular
     * @param prior      weight of the popularity prior
     */
    public static double score(double beta, double cos, double popularity, double prior) {
        return beta * cos + (1 - beta) * popularity + prior * popularity;
    }
}
