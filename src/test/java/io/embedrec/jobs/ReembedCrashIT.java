package io.embedrec.jobs;

import io.embedrec.support.PackagedService;
import io.embedrec.support.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the packaged service in the middle of a re-embed of 20,000 items, then a restart under the same worker
 * id: the job ends done, every item has one current vector, and nothing committed before the kill is redone.
 */
class ReembedCrashIT {

    static final int ITEMS = 20_000;

    @Test
    void killedReembedResumesWithoutRedoingCommittedWork() throws Exception {
        TestDb.exec("TRUNCATE items CASCADE", "DELETE FROM jobs");
        PackagedService service = new PackagedService("crash-it", "crash-it-worker");
        try {
            service.start();
            Map<String, Object> report = service.postNdjson("/v1/items/import",
                    PackagedService.syntheticItems("c", ITEMS));
            assertThat(report).containsEntry("created", ITEMS).containsEntry("rejected", 0);
            service.awaitNoPending("content", Duration.ofMinutes(8));
            String table = TestDb.text("SELECT 'item_vectors_' || id FROM spaces WHERE name = 'content'");

            String job = (String) service.postJson("/v1/jobs/reembed", Map.of("space", "content", "scope", "all"), 202)
                    .get("id");
            long total;
            while (true) {
                Map<String, Object> j = service.getJson("/v1/jobs/" + job);
                total = ((Number) j.get("total")).longValue();
                if (total > 0 && ((Number) j.get("done")).longValue() >= total / 4) {
                    break;
                }
                assertThat(j.get("state")).isIn("queued", "running");
                Thread.sleep(50);
            }
            service.kill();
            // a commit the dying process had already sent still lands; give its backend a moment to finish
            Thread.sleep(1000);

            Map<Long, Timestamp> committedBeforeKill = new HashMap<>();
            try (Connection c = TestDb.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT item_pk, embedded_at FROM " + table
                         + " WHERE embedded_at > (SELECT started_at FROM jobs WHERE id = '" + job + "')")) {
                while (rs.next()) {
                    committedBeforeKill.put(rs.getLong(1), rs.getTimestamp(2));
                }
            }
            long doneAtKill = TestDb.count("SELECT done FROM jobs WHERE id = '" + job + "'");
            assertThat(total).isEqualTo(ITEMS);
            assertThat(committedBeforeKill).as("vectors written by the job before the kill").hasSize((int) doneAtKill);
            assertThat(doneAtKill).isBetween(ITEMS / 10L, ITEMS * 8L / 10);
            assertThat(TestDb.count("SELECT count(*) FROM embedding_queue WHERE claimed_by = 'crash-it-worker'"))
                    .as("claims the killed run left behind").isPositive();

            service.start();
            Map<String, Object> finished = service.awaitJob(job, Duration.ofMinutes(8));
            assertThat(finished).containsEntry("state", "done").containsEntry("total", ITEMS)
                    .containsEntry("done", ITEMS).containsEntry("failed", 0);

            assertThat(TestDb.count("SELECT count(*) FROM " + table)).isEqualTo(ITEMS);
            assertThat(TestDb.count("SELECT count(*) FROM items")).isEqualTo(ITEMS);
            assertThat(TestDb.count("SELECT count(*) FROM embedding_queue")).isZero();
            assertThat(TestDb.count("SELECT count(*) FROM " + table + " WHERE embedded_at <= (SELECT started_at FROM jobs "
                    + "WHERE id = '" + job + "')"))
                    .as("vectors the job did not redo").isZero();
            Map<Long, Timestamp> after = new HashMap<>();
            try (Connection c = TestDb.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT item_pk, embedded_at FROM " + table)) {
                while (rs.next()) {
                    after.put(rs.getLong(1), rs.getTimestamp(2));
                }
            }
            committedBeforeKill.forEach((pk, at) -> assertThat(after.get(pk)).as("embedded_at of item %d", pk)
                    .isEqualTo(at));

            // every vector's hash is its item's current text's: a stale re-embed finds nothing to do
            String stale = (String) service.postJson("/v1/jobs/reembed",
                    Map.of("space", "content", "scope", "stale"), 202).get("id");
            assertThat(service.awaitJob(stale, Duration.ofMinutes(2))).containsEntry("state", "done")
                    .containsEntry("total", 0).containsEntry("skipped", ITEMS);
        } finally {
            service.close();
            TestDb.exec("TRUNCATE items CASCADE");
        }
    }
}
