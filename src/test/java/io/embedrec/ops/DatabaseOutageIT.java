package io.embedrec.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.embedrec.support.PackagedService;
import io.embedrec.support.PrivateCluster;
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
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL stopped and started under traffic, on a private cluster: while it is down, readiness is DOWN and
 * requests get 503 with Retry-After (never 500); within 5 s of it being back every request succeeds again; every
 * event the service acknowledged is in the database; the embedding worker carries on.
 */
class DatabaseOutageIT {

    static final ObjectMapper JSON = new ObjectMapper();

    record Answer(long sent, long at, String what, int status, String retryAfter, String body) {
    }

    @Test
    void anOutageCosts503sOnlyWhileItLastsAndLosesNoAcknowledgedEvent() throws Exception {
        try (PrivateCluster pg = PrivateCluster.create();
             PackagedService service = new PackagedService("outage-it", "outage-worker")
                     .database(pg.url("embedrec"))) {
            service.start();
            service.postNdjson("/v1/items/import", PackagedService.syntheticItems("o", 50));
            service.awaitNoPending("content", Duration.ofMinutes(3));

            ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
            Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                int client = c;
                Thread t = new Thread(() -> {
                    int n = 0;
                    while (running.get()) {
                        try {
                            String id = "ev-" + client + "-" + n;
                            String body = "[{\"id\":\"" + id + "\",\"user\":\"u" + (n % 7) + "\",\"item\":\"o"
                                    + (n % 50) + "\",\"type\":\"view\"}]";
                            long sent = System.nanoTime();
                            HttpResponse<String> r = service.request("POST", "/v1/events", "application/json",
                                    body);
                            answers.add(answer(sent, "events", r));
                            if (r.statusCode() == 200 && ((Number) JSON.readValue(r.body(), Map.class)
                                    .get("accepted")).intValue() == 1) {
                                acknowledged.add(id);
                            }
                            sent = System.nanoTime();
                            answers.add(answer(sent, "similar", service.request("GET", "/v1/items/o" + (n % 50)
                                    + "/similar?k=5", null, null)));
                            sent = System.nanoTime();
                            answers.add(answer(sent, "feed", service.request("GET", "/v1/users/u" + (n % 7)
                                    + "/recommendations?k=5", null, null)));
                            n++;
                            Thread.sleep(20);
                        } catch (Exception e) {
                            answers.add(new Answer(0, System.nanoTime(), "error", -1, null, e.toString()));
                        }
                    }
                });
                t.start();
                clients.add(t);
            }
            Thread.sleep(2000);
            long stopping = System.nanoTime();
            pg.stop();
            Thread.sleep(1500);
            HttpResponse<String> ready = service.request("GET", "/q/health/ready", null, null);
            assertThat(ready.statusCode()).as("readiness while the database is down").isEqualTo(503);
            HttpResponse<String> during = service.request("GET", "/v1/items?limit=5", null, null);
            assertThat(during.statusCode()).isEqualTo(503);
            assertThat(during.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(during.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readValue(during.body(), Map.class)).containsEntry("detail",
                    "the database is not reachable right now; retry after 5 seconds");
            Thread.sleep(1500);
            pg.start();
            long back = System.nanoTime();
            Thread.sleep(9000);
            running.set(false);
            for (Thread t : clients) {
                t.join(30_000);
            }
            assertThat(service.request("GET", "/q/health/ready", null, null).statusCode()).isEqualTo(200);

            List<Answer> all = new ArrayList<>(answers);
            assertThat(all).as("answers").hasSizeGreaterThan(100);
            assertThat(all).as("every answer is 200 or, during the outage, 503 with Retry-After")
                    .allSatisfy(a -> {
                        assertThat(a.status()).as(a.toString()).isIn(200, 503);
                        if (a.status() == 503) {
                            assertThat(a.retryAfter()).isEqualTo("5");
                        }
                    });
            assertThat(all).filteredOn(a -> a.status() == 503).as("503s while the database was down").isNotEmpty();
            long settled = back + Duration.ofSeconds(5).toNanos();
            assertThat(all).filteredOn(a -> a.sent() > settled).as("requests from 5 s after the database is back")
                    .isNotEmpty().allSatisfy(a -> assertThat(a.status()).as("%s, sent %d ms after it was back",
                            a, (a.sent() - back) / 1_000_000).isEqualTo(200));
            assertThat(all).filteredOn(a -> a.at() < stopping).as("answers before the database was stopped")
                    .allSatisfy(a -> assertThat(a.status()).isEqualTo(200));

            Set<String> stored = new HashSet<>();
            try (Connection c = pg.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT event_id FROM events")) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
            assertThat(stored).as("acknowledged events in the database").containsAll(acknowledged);
            assertThat(acknowledged).hasSizeGreaterThan(20);
            System.out.printf("database outage: %d answers, %d of them 503, none 500; %d events acknowledged, all "
                    + "stored; last 503 %d ms after the database was back%n", all.size(),
                    all.stream().filter(a -> a.status() == 503).count(), acknowledged.size(),
                    all.stream().filter(a -> a.status() == 503).mapToLong(a -> (a.at() - back) / 1_000_000).max()
                            .orElse(0));

            // the background worker survived the outage: a new item is embedded
            service.postNdjson("/v1/items/import", PackagedService.syntheticItems("after", 3));
            service.awaitNoPending("content", Duration.ofMinutes(2));
        }
    }

    private static Answer answer(long sent, String what, HttpResponse<String> r) {
        return new Answer(sent, System.nanoTime(), what, r.statusCode(), r.headers().firstValue("Retry-After").orElse(null),
                r.statusCode() == 200 ? null : r.body());
    }
}
