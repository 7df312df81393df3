import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The client side of bench/events/run.sh: drives the API over one keep-alive HTTP client and the raw-SQL baselines
 * over JDBC, and prints markdown table rows. Single-file program (java EventsBench.java ...), JDBC driver on the
 * class path.
 *
 *   ingest URL JDBC HISTORY BATCH       events/s of the history in batches, API vs a raw unnest INSERT of the same rows
 *   single URL JDBC CATALOG N           single-event request p50/p99, API vs a one-row INSERT
 *   feed URL JDBC CLIENTS REQUESTS      feed p50/p99, API vs the raw nearest-neighbour SQL for the same user vectors
 *   hybrid URL JDBC CLIENTS REQUESTS    hybrid feed p50/p99 (collaborative space active) vs the single-space feed
 *                                       (space=content) for the same users, interleaved in one run
 *   rules URL JDBC CLIENTS REQUESTS     feed p50/p99 with a rule set of 10 rules and an experiment running vs the
 *                                       same feeds with neither (rules=none, experiment stopped), interleaved
 */
public class EventsBench {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "ingest" -> ingest(a[1], a[2], Path.of(a[3]), Integer.parseInt(a[4]));
            case "single" -> single(a[1], a[2], Path.of(a[3]), Integer.parseInt(a[4]));
            case "feed" -> feed(a[1], a[2], Integer.parseInt(a[3]), Integer.parseInt(a[4]));
            case "hybrid" -> hybrid(a[1], a[2], Integer.parseInt(a[3]), Integer.parseInt(a[4]));
            case "rules" -> rules(a[1], a[2], Integer.parseInt(a[3]), Integer.parseInt(a[4]));
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    static Connection db(String url) throws Exception {
        return DriverManager.getConnection(url, "embedrec", "embedrec");
    }

    static HttpResponse<String> post(String url, String type, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    static HttpResponse<String> send(String method, String url, String body, int... ok) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type",
                "application/json").method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (Arrays.stream(ok).noneMatch(c -> c == r.statusCode())) {
            throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    static HttpResponse<String> get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    // ---- ingest ---------------------------------------------------------------------------------------------------

    static void ingest(String url, String jdbc, Path history, int batch) throws Exception {
        List<String> lines = Files.readAllLines(history).stream().filter(l -> !l.isBlank()).toList();
        long t0 = System.nanoTime();
        for (int from = 0; from < lines.size(); from += batch) {
            String body = String.join("\n", lines.subList(from, Math.min(lines.size(), from + batch))) + "\n";
            String r = post(url + "/v1/events", "application/x-ndjson", body).body();
            if (!r.contains("\"rejected\":0")) {
                throw new IllegalStateException("rejected events: " + r.substring(0, Math.min(400, r.length())));
            }
        }
        double api = (System.nanoTime() - t0) / 1e9;
        // baseline: the rows the API stored, inserted again in the same batches by one unnest INSERT each into a
        // copy of the events table with the same indexes (no users, no popularity, no user vectors)
        try (Connection c = db(jdbc); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_events");
            s.execute("CREATE TABLE bench_events (LIKE events INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES)");
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT event_id, user_pk, item_pk, type, value, weight, ts FROM events "
                    + "ORDER BY pk")) {
                while (rs.next()) {
                    rows.add(new Object[]{rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                            rs.getObject(5), rs.getDouble(6), rs.getTimestamp(7)});
                }
            }
            long b0 = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_events (event_id, user_pk, item_pk, "
                    + "type, value, weight, ts) SELECT * FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::text[], "
                    + "?::float8[], ?::float8[], ?::timestamptz[]) ON CONFLICT (event_id) DO NOTHING")) {
                for (int from = 0; from < rows.size(); from += batch) {
                    List<Object[]> part = rows.subList(from, Math.min(rows.size(), from + batch));
                    for (int col = 0; col < 7; col++) {
                        Object[] arr = new Object[part.size()];
                        for (int k = 0; k < arr.length; k++) {
                            arr[k] = part.get(k)[col];
                        }
                        String t = switch (col) {
                            case 0, 3 -> "text";
                            case 1, 2 -> "bigint";
                            case 4, 5 -> "float8";
                            default -> "timestamptz";
                        };
                        ps.setArray(col + 1, c.createArrayOf(t, arr));
                    }
                    ps.executeUpdate();
                }
            }
            double raw = (System.nanoTime() - b0) / 1e9;
            System.out.printf("| ingest, batches of %d (%d events) | %,.0f events/s | %,.0f events/s (raw unnest "
                    + "INSERT, no vectors) | %.0f%% | ≥ 5,000 events/s |%n", batch, lines.size(), lines.size() / api,
                    rows.size() / raw, 100 * (lines.size() / api) / (rows.size() / raw));
        }
    }

    // ---- single events --------------------------------------------------------------------------------------------

    static void single(String url, String jdbc, Path catalog, int n) throws Exception {
        List<String> items = new ArrayList<>();
        for (String l : Files.readAllLines(catalog)) {
            int at = l.indexOf("\"id\":\"");
            if (at >= 0) {
                items.add(l.substring(at + 6, l.indexOf('"', at + 6)));
            }
        }
        Random rng = new Random(1);
        String[] types = {"view", "view", "view", "click", "like", "purchase"};
        long[] api = new long[n];
        for (int k = -100; k < n; k++) {
            String body = "[{\"id\":\"single-" + (k + 100) + "-" + System.nanoTime() + "\",\"user\":\"demo-user-"
                    + String.format("%04d", 1 + rng.nextInt(500)) + "\",\"item\":\"" + items.get(rng.nextInt(items.size()))
                    + "\",\"type\":\"" + types[rng.nextInt(types.length)] + "\"}]";
            long t0 = System.nanoTime();
            post(url + "/v1/events", "application/json", body);
            if (k >= 0) {
                api[k] = System.nanoTime() - t0;
            }
        }
        long[] raw = new long[n];
        try (Connection c = db(jdbc); PreparedStatement ps = c.prepareStatement("INSERT INTO bench_events (event_id, "
                + "user_pk, item_pk, type, weight, ts) VALUES (?, 1, 1, 'view', 1, now())")) {
            for (int k = -100; k < n; k++) {
                ps.setString(1, "single-raw-" + k + "-" + System.nanoTime());
                long t0 = System.nanoTime();
                ps.executeUpdate();
                if (k >= 0) {
                    raw[k] = System.nanoTime() - t0;
                }
            }
        }
        System.out.printf("| single-event request, p50 / p99 (%d) | %.2f / %.2f ms | %.2f / %.2f ms (one-row INSERT) "
                + "| %.1f× | p50 ≤ 5 ms |%n", n, pct(api, 50), pct(api, 99), pct(raw, 50), pct(raw, 99),
                pct(api, 50) / pct(raw, 50));
    }

    // ---- feeds ----------------------------------------------------------------------------------------------------

    static void feed(String url, String jdbc, int clients, int requests) throws Exception {
        List<String> users = new ArrayList<>();
        List<String> vectors = new ArrayList<>();
        String table;
        try (Connection c = db(jdbc); Statement s = c.createStatement()) {
            int space;
            try (ResultSet rs = s.executeQuery("SELECT id FROM spaces WHERE kind = 'content' AND active")) {
                rs.next();
                space = rs.getInt(1);
            }
            table = "item_vectors_" + space;
            try (ResultSet rs = s.executeQuery("SELECT u.external_id, v.embedding::text FROM user_vectors v JOIN users u "
                    + "ON u.pk = v.user_pk WHERE v.space_id = " + space + " AND v.embedding IS NOT NULL "
                    + "AND v.positives >= 5 ORDER BY u.external_id")) {
                while (rs.next()) {
                    users.add(rs.getString(1));
                    vectors.add(rs.getString(2));
                }
            }
        }
        String sql = "SELECT i.external_id FROM " + table + " v JOIN items i ON i.pk = v.item_pk "
                + "ORDER BY v.embedding <=> ?::vector LIMIT 10";
        long[] api = run(clients, requests, users.size(), (client, k) -> {
            long t0 = System.nanoTime();
            get(url + "/v1/users/" + users.get(k) + "/recommendations?k=10");
            return System.nanoTime() - t0;
        }, null);
        Connection[] conns = new Connection[clients];
        PreparedStatement[] stmts = new PreparedStatement[clients];
        for (int i = 0; i < clients; i++) {
            conns[i] = db(jdbc);
            try (Statement s = conns[i].createStatement()) {
                s.execute("SET hnsw.ef_search = 40");
            }
            stmts[i] = conns[i].prepareStatement(sql);
        }
        long[] raw = run(clients, requests, users.size(), (client, k) -> {
            PreparedStatement ps = stmts[client];
            ps.setString(1, vectors.get(k));
            long t0 = System.nanoTime();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getString(1);
                }
            }
            return System.nanoTime() - t0;
        }, null);
        for (Connection c : conns) {
            c.close();
        }
        System.out.printf("| feed k=10, %d client%s, p50 / p99 (%d requests, %d users) | %.2f / %.2f ms | %.2f / %.2f ms "
                + "(raw HNSW SQL, same vector) | %.1f× | p50 ≤ 2× |%n", clients, clients == 1 ? "" : "s", requests,
                users.size(), pct(api, 50), pct(api, 99), pct(raw, 50), pct(raw, 99), pct(api, 50) / pct(raw, 50));
    }

    static void hybrid(String url, String jdbc, int clients, int requests) throws Exception {
        List<String> users = new ArrayList<>();
        try (Connection c = db(jdbc); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT u.external_id FROM user_vectors v JOIN users u ON u.pk = v.user_pk "
                     + "JOIN spaces s ON s.id = v.space_id WHERE s.kind = 'collaborative' AND s.active "
                     + "AND v.embedding IS NOT NULL AND v.positives >= 5 ORDER BY u.external_id")) {
            while (rs.next()) {
                users.add(rs.getString(1));
            }
        }
        String first = get(url + "/v1/users/" + users.get(0) + "/recommendations?k=10").body();
        if (!first.contains("\"strategy\":\"hybrid\"")) {
            throw new IllegalStateException("the feed is not hybrid: " + first);
        }
        // interleaved in blocks so both see the same machine load
        long[] hybrid = new long[requests];
        long[] single = new long[requests];
        for (int block = 0; block < requests; block += 100) {
            int n = Math.min(100, requests - block);
            long[] h = run(clients, n, users.size(), (client, k) -> {
                long t0 = System.nanoTime();
                get(url + "/v1/users/" + users.get(k) + "/recommendations?k=10");
                return System.nanoTime() - t0;
            }, null);
            long[] o = run(clients, n, users.size(), (client, k) -> {
                long t0 = System.nanoTime();
                get(url + "/v1/users/" + users.get(k) + "/recommendations?k=10&space=content");
                return System.nanoTime() - t0;
            }, null);
            System.arraycopy(h, 0, hybrid, block, n);
            System.arraycopy(o, 0, single, block, n);
        }
        System.out.printf("| hybrid feed k=10, %d client%s, p50 / p99 (%d requests, %d users) | %.2f / %.2f ms | "
                + "%.2f / %.2f ms (single-space feed, space=content) | %.2f× | p50 ≤ 1.5× |%n", clients,
                clients == 1 ? "" : "s", requests, users.size(), pct(hybrid, 50), pct(hybrid, 99), pct(single, 50),
                pct(single, 99), pct(hybrid, 50) / pct(single, 50));
    }

    /**
     * Ten rules of every kind a product team uses (hard filters on content and on recent history, boosts and buries
     * on categories, attributes, ranges and trending, a pin), saved as a set that both variants of a running
     * experiment use; against the same users' feeds with no rules (rules=none) and the experiment stopped.
     */
    static void rules(String url, String jdbc, int clients, int requests) throws Exception {
        List<String> users = new ArrayList<>();
        try (Connection c = db(jdbc); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT u.external_id FROM user_vectors v JOIN users u ON u.pk = v.user_pk "
                     + "JOIN spaces s ON s.id = v.space_id WHERE s.kind = 'content' AND s.active "
                     + "AND v.embedding IS NOT NULL AND v.positives >= 5 ORDER BY u.external_id")) {
            while (rs.next()) {
                users.add(rs.getString(1));
            }
        }
        String rules = """
                {"rules": [
                  {"name": "small-enough", "effect": "filter", "when": {"ranges": {"installed_size_kb": {"max": 10000000}}}},
                  {"name": "fresh", "effect": "filter", "when": {"not_seen_within_days": 30}},
                  {"name": "utils-up", "effect": "boost", "by": 0.1, "when": {"categories": ["utils"]}},
                  {"name": "optional-up", "effect": "boost", "factor": 1.5, "when": {"attributes": {"priority": "optional"}}},
                  {"name": "essential-down", "effect": "bury", "by": 0.2, "when": {"attributes": {"essential": true}}},
                  {"name": "oldlibs-down", "effect": "bury", "factor": 2, "when": {"categories": ["oldlibs"]}},
                  {"name": "tiny-up", "effect": "boost", "by": 0.05, "when": {"ranges": {"installed_size_kb": {"max": 1000}}}},
                  {"name": "hot", "effect": "boost", "by": 0.1, "when": {"trending": true}},
                  {"name": "recent-down", "effect": "bury", "by": 0.1, "when": {"seen_within_days": 7}},
                  {"name": "promo", "effect": "pin", "items": ["bash", "coreutils"], "position": 3}]}""";
        send("PUT", url + "/v1/rules/bench-10", rules, 200, 201);
        String name = "bench-" + System.currentTimeMillis();
        send("POST", url + "/v1/experiments", "{\"name\": \"" + name + "\", \"salt\": \"bench\", \"variants\": ["
                + "{\"name\": \"A\", \"share\": 0.5, \"rules\": \"bench-10\"}, {\"name\": \"B\", \"share\": 0.5, "
                + "\"rules\": \"bench-10\", \"weights\": \"content:1,popularity:0.2\"}]}", 201);
        String first = get(url + "/v1/users/" + users.get(0) + "/recommendations?k=10").body();
        if (!first.contains("\"experiment\":\"" + name + "\"")) {
            throw new IllegalStateException("the feed is not in the experiment: " + first);
        }
        long[] with = new long[requests];
        long[] without = new long[requests];
        // interleaved in blocks so both see the same machine load
        for (int block = 0; block < requests; block += 100) {
            int n = Math.min(100, requests - block);
            long[] w = run(clients, n, users.size(), (client, k) -> {
                long t0 = System.nanoTime();
                get(url + "/v1/users/" + users.get(k) + "/recommendations?k=10");
                return System.nanoTime() - t0;
            }, null);
            send("POST", url + "/v1/experiments/" + name + "/stop", null, 200);
            long[] o = run(clients, n, users.size(), (client, k) -> {
                long t0 = System.nanoTime();
                get(url + "/v1/users/" + users.get(k) + "/recommendations?k=10&rules=none");
                return System.nanoTime() - t0;
            }, null);
            send("POST", url + "/v1/experiments/" + name + "/resume", null, 200);
            System.arraycopy(w, 0, with, block, n);
            System.arraycopy(o, 0, without, block, n);
        }
        send("POST", url + "/v1/experiments/" + name + "/conclude", "{}", 200);
        send("DELETE", url + "/v1/experiments/" + name, null, 204);
        send("DELETE", url + "/v1/rules/bench-10", null, 204);
        System.out.printf("| feed k=10 with 10 rules and an experiment, %d client%s, p50 / p99 (%d requests, %d users) "
                + "| %.2f / %.2f ms | %.2f / %.2f ms (same feeds, rules=none, no experiment) | %.2f× | p50 ≤ 1.2× |%n",
                clients, clients == 1 ? "" : "s", requests, users.size(), pct(with, 50), pct(with, 99),
                pct(without, 50), pct(without, 99), pct(with, 50) / pct(without, 50));
    }

    interface Call {
        long run(int client, int userIndex) throws Exception;
    }

    /** Warm-up of 50 calls per client, then {@code requests} timed calls shared by the clients. */
    static long[] run(int clients, int requests, int users, Call call, Object unused) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long[] out = new long[requests];
        List<Future<Void>> fs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            fs.add(pool.submit((Callable<Void>) () -> {
                Random rng = new Random(client);
                for (int k = 0; k < 50; k++) {
                    call.run(client, rng.nextInt(users));
                }
                for (int k = client; k < requests; k += clients) {
                    out[k] = call.run(client, rng.nextInt(users));
                }
                return null;
            }));
        }
        for (Future<Void> f : fs) {
            f.get();
        }
        pool.shutdown();
        return out;
    }

    static double pct(long[] nanos, int p) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)] / 1e6;
    }
}
