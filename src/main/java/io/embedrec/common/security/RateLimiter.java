package io.embedrec.common.security;

import io.embedrec.common.EmbedrecConfig;
import io.embedrec.common.TooManyRequestsException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key rate limits by the key's scope ({@code embedrec.security.rate-limit.<scope>} requests per second): a token
 * bucket per key (Bucket4j, in memory, per instance) holding one second's worth, so short bursts pass and a steady
 * excess gets 429 with Retry-After. A scope without a limit is not limited.
 */
@ApplicationScoped
public class RateLimiter {

    private final Map<Scope, Double> perSecond = new EnumMap<>(Scope.class);
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(EmbedrecConfig config) {
        config.security().rateLimit().forEach((scope, rate) -> {
            Scope s = Scope.parse(scope).orElseThrow(() -> new IllegalArgumentException(
                    "embedrec.security.rate-limit." + scope + ": '" + scope + "' is not one of read, write, admin"));
            if (!(rate > 0) || !Double.isFinite(rate)) {
                throw new IllegalArgumentException("embedrec.security.rate-limit." + scope
                        + " must be a positive number of requests per second (got " + rate + ")");
            }
            perSecond.put(s, rate);
        });
    }

    /**
     * Takes one request from the key's bucket.
     *
     * @param key   who asks: a stable identity of the key (never the key itself)
     * @throws TooManyRequestsException when the bucket is empty
     */
    void take(String key, Scope scope) {
        Double rate = perSecond.get(scope);
        if (rate == null) {
            return;
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> bucket(rate));
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1e9));
            throw new TooManyRequestsException("this key's rate limit is " + fmt(rate) + " requests per second (scope '"
                    + scope.wire() + "'); retry after " + seconds + " s", seconds);
        }
    }

    private static Bucket bucket(double rate) {
        long tokens = Math.max(1, Math.round(rate));
        Duration period = Duration.ofNanos(Math.round(tokens / rate * 1e9));
        return Bucket.builder().addLimit(limit -> limit.capacity(tokens).refillGreedy(tokens, period)).build();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
