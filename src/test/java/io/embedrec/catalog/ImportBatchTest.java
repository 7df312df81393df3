package io.embedrec.catalog;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An import batch is written when it reaches its count or 8 Mi characters, whichever comes first. */
class ImportBatchTest {

    @Test
    void aBatchIsBoundedByCountAndBySize() {
        assertThat(CatalogService.full(999, 1_000, 1000)).isFalse();
        assertThat(CatalogService.full(1000, 1_000, 1000)).isTrue();
        // 90 items of 100,000 characters: far below the count, past the size
        assertThat(CatalogService.full(90, 90 * 100_000L, 1000)).isTrue();
        assertThat(CatalogService.full(80, 80 * 100_000L, 1000)).isFalse();
    }
}
