package io.embedrec.recommendation;

import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The log keeps answers for the retention (30 days by default) and no longer. */
@QuarkusTest
class RecommendationLogTest {

    @Inject
    RecommendationLog log;

    @Test
    void pruningDeletesOnlyRowsOlderThanTheRetention() {
        TestDb.exec("DELETE FROM recommendations",
                "INSERT INTO recommendations (id, strategy, subject, item_ids, created_at) "
                        + "SELECT gen_random_uuid(), 'feed:test', 'old-' || g, '{a}', now() - interval '31 days' "
                        + "FROM generate_series(1, 25000) g",
                "INSERT INTO recommendations (id, strategy, subject, item_ids, created_at) "
                        + "SELECT gen_random_uuid(), 'feed:test', 'new-' || g, '{a}', now() - interval '29 days' "
                        + "FROM generate_series(1, 7) g");
        // more than two batches of old rows
        assertThat(log.prune()).isEqualTo(25000);
        assertThat(TestDb.count("SELECT count(*) FROM recommendations")).isEqualTo(7);
        assertThat(TestDb.count("SELECT count(*) FROM recommendations WHERE subject LIKE 'new-%'")).isEqualTo(7);
        assertThat(log.prune()).isZero();
    }
}
