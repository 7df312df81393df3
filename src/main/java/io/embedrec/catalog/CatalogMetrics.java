package io.embedrec.catalog;

import io.embedrec.common.EmbedrecConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Publishes {@code embedrec_items} (items in the catalog) on /q/metrics; counted at most once per
 * {@code embedrec.catalog.item-count-refresh}, so frequent scrapes do not each scan the table.
 */
@ApplicationScoped
class CatalogMetrics {

    private final ItemRepository items;
    private final long refreshNanos;
    private volatile long lastCount = -1;
    private volatile long countedAt;

    CatalogMetrics(ItemRepository items, EmbedrecConfig config) {
        this.items = items;
        this.refreshNanos = config.catalog().itemCountRefresh().toNanos();
    }

    void register(@Observes StartupEvent ev, MeterRegistry registry) {
        Gauge.builder("embedrec.items", this, CatalogMetrics::count)
                .description("Items in the catalog")
                .register(registry);
    }

    private double count() {
        long now = System.nanoTime();
        if (lastCount < 0 || now - countedAt >= refreshNanos) {
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
