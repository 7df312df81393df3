package io.embedrec.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.embedrec.support.Catalogs;
import io.embedrec.support.PackagedService;
import io.embedrec.support.TestDb;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the packaged service during event ingest and during a training: after a restart every acknowledged
 * event is in the database, and no job stays running, even when the instance comes back under another name (a
 * replaced container): the training's lease lapses and the new instance fails it and drops its half-built space.
 */
class KillIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int BATCH = 100;

    @Test
    void killDuringEventIngestLosesNoAcknowledgedEvent() throws Exception {
        TestDb.exec("TRUNCATE items, users, events CASCADE", "DELETE FROM jobs");
        PackagedService service = new PackagedService("kill-ingest", "kill-ingest-worker");
        try {
            service.start();
            service.postNdjson("/v1/items/import", PackagedService.syntheticItems("k", 200));
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean going = new AtomicBoolean(true);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                Thread t = new Thread(() -> {
                    Random random = new Random(client);
                    for (int b = 0; going.get(); b++) {
                        StringBuilder body = new StringBuilder("[");
                        List<String> ids = new ArrayList<>();
                        for (int e = 0; e < BATCH; e++) {
                            String id = "kill-" + client + "-" + b + "-" + e;
                            ids.add(id);
                            body.append(e == 0 ? "" : ",").append("{\"id\":\"").append(id).append("\",\"user\":\"u")
                                    .append(random.nextInt(50)).append("\",\"item\":\"k").append(random.nextInt(200))
                                    .append("\",\"type\":\"view\"}");
                        }
                        try {
                            HttpResponse<String> r = service.request("POST", "/v1/events", "application/json",
                                    body.append(']').toString());
                            if (r.statusCode() == 200 && ((Number) JSON.readValue(r.body(), Map.class)
                                    .get("accepted")).intValue() == BATCH) {
                                acknowledged.addAll(ids);
                            }
                        } catch (Exception dead) {
                            return;
                        }
                    }
                });
                clients.add(t);
                t.start();
            }
            Thread.sleep(2500);
            service.kill();
            going.set(false);
            for (Thread t : clients) {
                t.join(30_000);
            }
            Thread.sleep(1000); // a commit the dying process had sent still lands

            Set<String> stored = new HashSet<>();
            try (Connection c = TestDb.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT event_id FROM events")) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
            assertThat(acknowledged).as("acknowledged events").hasSizeGreaterThan(BATCH);
            assertThat(stored).as("stored events").containsAll(acknowledged);
            // beyond them only whole batches still in flight at the kill (one transaction per batch)
            assertThat(stored.size() - acknowledged.size()).isLessThanOrEqualTo(4 * BATCH)
                    .satisfies(extra -> assertThat(extra % BATCH).isZero());

            service.start();
            HttpResponse<String> after = service.request("POST", "/v1/events", "application/json",
                    "[{\"id\":\"after-restart\",\"user\":\"u1\",\"item\":\"k1\",\"type\":\"view\"}]");
            assertThat(after.statusCode()).isEqualTo(200);
            System.out.printf("kill -9 during ingest: %d events acknowledged, all %d stored (%d more in flight)%n",
                    acknowledged.size(), stored.size(), stored.size() - acknowledged.size());
        } finally {
            service.close();
            TestDb.exec("TRUNCATE items, users, events CASCADE");
        }
    }

    @Test
    void aTrainingKilledWithItsInstanceIsFailedByTheInstanceThatReplacesIt() throws Exception {
        TestDb.exec("TRUNCATE items, users, events CASCADE", "DELETE FROM jobs");
        Catalogs.onlyTheDefaultSpace();
        String lease = "-Dembedrec.jobs.job-lease=3s";
        PackagedService first = new PackagedService("kill-train", "kill-train-worker", lease);
        PackagedService replacement = new PackagedService("kill-train-new", "kill-train-replacement", lease);
        try {
            first.start();
            first.postNdjson("/v1/items/import", PackagedService.syntheticItems("t", 600));
            Random random = new Random(3);
            StringBuilder events = new StringBuilder();
            for (int u = 0; u < 1500; u++) {
                for (int e = 0; e < 30; e++) {
                    events.append("{\"id\":\"t-").append(u).append('-').append(e).append("\",\"user\":\"tu").append(u)
                            .append("\",\"item\":\"t").append(random.nextInt(600)).append("\",\"type\":\"like\"}\n");
                }
            }
            first.postNdjson("/v1/events", events.toString());
            // many slow sweeps: the training is surely running when the instance dies
            String job = (String) first.postJson("/v1/jobs/train", Map.of("name", "killed-training", "factors",
                    200, "iterations", 500), 202).get("id");
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!"running".equals(first.getJson("/v1/jobs/" + job).get("state"))) {
                assertThat(System.nanoTime()).as("the training started").isLessThan(deadline);
                Thread.sleep(100);
            }
            Thread.sleep(1500);
            first.kill();
            assertThat(TestDb.text("SELECT state FROM jobs WHERE id = '" + job + "'")).isEqualTo("running");

            replacement.start();
            Map<String, Object> failed = replacement.awaitJob(job, Duration.ofSeconds(60));
            assertThat(failed).containsEntry("state", "failed").containsEntry("error", "interrupted: the instance "
                    + "running it (kill-train-worker) stopped renewing its lease; start it again");
            assertThat(TestDb.count("SELECT count(*) FROM spaces WHERE name = 'killed-training'")).isZero();
            assertThat(TestDb.count("SELECT count(*) FROM jobs WHERE state = 'running'")).isZero();
        } finally {
            first.close();
            replacement.close();
            TestDb.exec("TRUNCATE items, users, events CASCADE", "DELETE FROM jobs");
            Catalogs.onlyTheDefaultSpace();
        }
    }
}
