package io.embedrec.space;

import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A worker's claims on items still in its pipeline are extended before another worker could take them over. */
@QuarkusTest
class ClaimRenewalTest {

    @Inject
    VectorRepository vectors;

    @Inject
    SpaceService spaces;

    @Test
    void claimsPastHalfTheirLeaseAreExtendedForTheirWorkerOnly() {
        TestDb.exec("TRUNCATE items CASCADE",
                "INSERT INTO items (external_id, title) SELECT 'c' || g, 'claimed ' || g FROM generate_series(1, 3) g",
                "DELETE FROM embedding_queue",
                "INSERT INTO embedding_queue (space_id, item_pk, claimed_by, claimed_until) SELECT s.id, i.pk, "
                        + "CASE i.external_id WHEN 'c3' THEN 'other-worker' ELSE 'slow-worker' END, "
                        + "now() + CASE i.external_id WHEN 'c2' THEN interval '200 seconds' ELSE interval '10 seconds' END "
                        + "FROM items i CROSS JOIN spaces s WHERE s.name = 'content'");
        // c1: 10 s left of 300, renewed; c2: 200 s left, more than half, untouched; c3: another worker's
        long[] batch = {TestDb.count("SELECT pk FROM items WHERE external_id = 'c1'"),
                TestDb.count("SELECT pk FROM items WHERE external_id = 'c2'"),
                TestDb.count("SELECT pk FROM items WHERE external_id = 'c3'")};
        assertThat(vectors.renewClaims(spaces.require("content"), "slow-worker", batch, 300)).isEqualTo(1);
        assertThat(TestDb.count("SELECT count(*) FROM embedding_queue q JOIN items i ON i.pk = q.item_pk WHERE "
                + "i.external_id = 'c1' AND claimed_until > now() + interval '290 seconds'")).isEqualTo(1);
        assertThat(TestDb.count("SELECT count(*) FROM embedding_queue q JOIN items i ON i.pk = q.item_pk WHERE "
                + "claimed_until < now() + interval '201 seconds'")).isEqualTo(2);
        TestDb.exec("TRUNCATE items CASCADE");
    }
}
