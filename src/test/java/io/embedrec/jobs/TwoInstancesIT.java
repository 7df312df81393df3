package io.embedrec.jobs;

import io.embedrec.support.PackagedService;
import io.embedrec.support.TestDb;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two packaged services on one database share a re-embed job. Who did what is read from each instance's own model
 * counter ({@code embedrec_embedding_texts_total} on /q/metrics): texts that went through the model there. The two
 * deltas adding up to exactly the job's total means no item went through a model twice; both being positive means
 * both instances worked on the job.
 */
class TwoInstancesIT {

    static final int ITEMS = 5_000;
    static final String TEXTS = "embedrec_embedding_texts_total{model=\"all-minilm-l6-v2\"}";

    @Test
    void twoInstancesShareOneJobAndEmbedEachItemOnce() throws Exception {
        TestDb.exec("TRUNCATE items CASCADE", "DELETE FROM jobs");
        PackagedService a = new PackagedService("two-a", "two-a-worker");
        PackagedService b = new PackagedService("two-b", "two-b-worker");
        try {
            a.start();
            b.start();
            assertThat(a.postNdjson("/v1/items/import", PackagedService.syntheticItems("t", ITEMS)))
                    .containsEntry("created", ITEMS);
            a.awaitNoPending("content", Duration.ofMinutes(5));
            String table = TestDb.text("SELECT 'item_vectors_' || id FROM spaces WHERE name = 'content'");
            double beforeA = a.metric(TEXTS);
            double beforeB = b.metric(TEXTS);

            String job = (String) a.postJson("/v1/jobs/reembed", Map.of("space", "content", "scope", "all"), 202)
                    .get("id");
            Map<String, Object> finished = b.awaitJob(job, Duration.ofMinutes(5));

            assertThat(finished).containsEntry("state", "done").containsEntry("total", ITEMS)
                    .containsEntry("done", ITEMS).containsEntry("failed", 0);
            double byA = a.metric(TEXTS) - beforeA;
            double byB = b.metric(TEXTS) - beforeB;
            assertThat(byA).as("texts embedded by instance a").isPositive();
            assertThat(byB).as("texts embedded by instance b").isPositive();
            assertThat(byA + byB).as("texts embedded by both").isEqualTo(ITEMS);
            assertThat(TestDb.count("SELECT count(*) FROM " + table)).isEqualTo(ITEMS);
            assertThat(TestDb.count("SELECT count(*) FROM " + table + " WHERE embedded_at <= "
                    + "(SELECT started_at FROM jobs WHERE id = '" + job + "')")).as("vectors not redone").isZero();
            assertThat(TestDb.count("SELECT count(*) FROM embedding_queue")).isZero();
        } finally {
            a.close();
            b.close();
            TestDb.exec("TRUNCATE items CASCADE");
        }
    }
}
