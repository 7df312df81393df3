package io.embedrec.common;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

/** Every setting of embedrec, under the {@code embedrec.} prefix. The README lists each key. */
@ConfigMapping(prefix = "embedrec")
public interface EmbedrecConfig {

    /** HTTP request limits. */
    Http http();

    /** Catalog (items) settings. */
    Catalog catalog();

    /** API keys and scopes. */
    Security security();

    interface Http {
        /** Largest body accepted by ordinary (non-streaming) requests; larger ones get 413. */
        @WithDefault("2M")
        MemorySize maxBodySize();

        /** Largest body accepted by streamed bulk imports (NDJSON); larger ones are cut off with 413. */
        @WithDefault("8G")
        MemorySize maxImportSize();
    }

    interface Catalog {
        /** Lines committed per transaction by the streamed item import. */
        @WithDefault("1000")
        int importBatchSize();

        /** Rejected lines listed one by one in an import report; further ones are only counted. */
        @WithDefault("1000")
        int importMaxReportedErrors();

        /** Default page size of list endpoints. */
        @WithDefault("50")
        int defaultPageSize();

        /** How long the {@code embedrec_items} metric reuses its last count before counting the catalog again. */
        @WithDefault("10s")
        Duration itemCountRefresh();
    }

    interface Security {
        /**
         * API keys mapped to their scope ({@code read}, {@code write} or {@code admin}), e.g.
         * {@code embedrec.security.keys.my-secret-key=admin}. None set: the API is open.
         */
        Map<String, String> keys();
    }
}
