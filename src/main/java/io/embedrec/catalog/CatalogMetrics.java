package io.embedrec.catalog;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Publishes {@code embedrec_items} (items in the catalog) on /q/metrics; counted at most every 10 s. */
@ApplicationScoped
class CatalogMetrics {

    private static final long REFRESH_NANOS = 10_000_000_000L;

    private final ItemRepository items;
    private volatile long lastCount = -1;
    private volatile long countedAt;

    CatalogMetrics(ItemRepository items) {
        this.items = items;
    }

    void register(@Observes StartupEvent ev, MeterRegistry registry) {
        Gauge.builder("embedrec.items", this, CatalogMetrics::count)
                .description("Items in the catalog")
                .register(registry);
    }

    private double count() {
        long now = System.nanoTime();
        if (lastCount < 0 || now - countedAt > REFRESH_NANOS) {
            try {
                lastCount = QuarkusTransaction.requiringNew().call(items::countAll);
                countedAt = now;
            } catch (RuntimeException e) {
                return lastCount < 0 ? Double.NaN : lastCount;
            }
        }
        return lastCount;
    }
}
