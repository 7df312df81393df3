package io.embedrec.recommendation;

/** A feed's candidate count and warm-up share, shared by the feed and its offline evaluation. Pure. */
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
}
