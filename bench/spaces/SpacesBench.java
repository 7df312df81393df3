import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spaces benchmark: (a) re-embedding throughput end to end vs the model alone, (b) "similar" over HTTP vs the same
 * SQL over JDBC, with recall, (c) query latency as the space grows. Starts the packaged service itself on a free
 * loopback port against BENCH_DB_URL (default embedrec_bench), whose catalog it empties. Prints markdown.
 * Run through bench/spaces/run.sh.
 */
public class SpacesBench {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String DB = env("BENCH_DB_URL", "jdbc:postgresql://127.0.0.1:5432/embedrec_bench");
    static final int DIMS = 384;
    static final StringBuilder OUT = new StringBuilder();

    static String base;
    static Process service;

    public static void main(String[] args) throws Exception {
        int embedItems = Integer.parseInt(env("BENCH_EMBED_ITEMS", "500"));
        int[] sizes = Arrays.stream(env("BENCH_SIZES", "10000,100000").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        String parts = env("BENCH_PARTS", "a,b,e");
        start();
        try {
            exec("TRUNCATE items CASCADE", "DELETE FROM jobs");
            for (JsonNode s : get("/v1/spaces").path("items")) {
                if (!s.path("active").asBoolean()) {
                    send("DELETE", "/v1/spaces/" + s.path("name").asText(), null, null);
                }
            }
            print("# Spaces benchmark\n\n" + machine() + "\n");
            if (parts.contains("a")) {
                reembedThroughput(embedItems);
            }
            if (parts.contains("b")) {
                exec("TRUNCATE items CASCADE");
                similarLatency(sizes);
            }
            if (parts.contains("e")) {
                realRecall(Integer.parseInt(env("BENCH_REAL_ITEMS", "5000")));
            }
        } finally {
            service.destroy();
            service.waitFor();
            exec("TRUNCATE items CASCADE");
        }
        Files.writeString(Path.of("bench/spaces/RESULTS.md"), OUT.toString());
    }

    // ---- (a) re-embedding ---------------------------------------------------------------------------------------

    static void reembedThroughput(int limit) throws Exception {
        List<String> lines = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(Path.of("target/demo/catalog.ndjson"))) {
            for (String line; (line = r.readLine()) != null && (limit == 0 || lines.size() < limit); ) {
                lines.add(line);
                texts.add(render(JSON.readTree(line)));
            }
        }
        int n = lines.size();
        long t0 = System.nanoTime();
        JsonNode report = post("/v1/items/import", "application/x-ndjson", String.join("\n", lines) + "\n");
        awaitSpace("content", n);
        double importSeconds = seconds(t0);
        if (report.path("created").asInt() != n) {
            throw new IllegalStateException("import: " + report);
        }
        double model1 = modelOnly(texts);
        t0 = System.nanoTime();
        post("/v1/spaces", "application/json", "{\"name\":\"bench-new\"}");
        awaitSpace("bench-new", n);
        double newSpace = seconds(t0);
        t0 = System.nanoTime();
        String job = post("/v1/jobs/reembed", "application/json", "{\"space\":\"content\",\"scope\":\"all\"}")
                .path("id").asText();
        while (!get("/v1/jobs/" + job).path("state").asText().equals("done")) {
            Thread.sleep(100);
        }
        double reembed = seconds(t0);
        double model2 = modelOnly(texts);
        double model = (model1 + model2) / 2;
        print("## (a) Embedding " + n + " demo-catalog items (Debian package descriptions)\n\n"
                + "Model only = the same rendered texts through POST /v1/embeddings in batches of 256, nothing else "
                + "running (mean of a run before and one after: " + f1(n / model1) + " and " + f1(n / model2)
                + " items/s).\n\n"
                + "| path | seconds | items/s | vs model only |\n|---|---:|---:|---:|\n"
                + row("model only (baseline)", model, n, model)
                + row("new space: POST /v1/spaces → status ready (index built)", newSpace, n, model)
                + row("reembed all, active indexed space: POST → job done", reembed, n, model)
                + row("import + incremental embedding (for reference)", importSeconds, n, model) + "\n");
    }

    static String row(String what, double seconds, int n, double baseline) {
        return "| " + what + " | " + f1(seconds) + " | " + f1(n / seconds) + " | "
                + String.format(Locale.ROOT, "%.0f%%", 100 * baseline / seconds) + " |\n";
    }

    /** The default recipe's text: title, categories, description joined with ". " (see TextRecipe). */
    static String render(JsonNode item) {
        List<String> parts = new ArrayList<>();
        List<String> cats = new ArrayList<>();
        item.path("categories").forEach(c -> cats.add(c.asText()));
        for (String p : List.of(item.path("title").asText(""), String.join(", ", cats),
                item.path("description").asText(""))) {
            if (!p.isBlank()) {
                parts.add(p.strip());
            }
        }
        return String.join(". ", parts);
    }

    static double modelOnly(List<String> texts) throws Exception {
        long t0 = System.nanoTime();
        for (int at = 0; at < texts.size(); at += 256) {
            List<String> batch = texts.subList(at, Math.min(texts.size(), at + 256));
            JsonNode r = post("/v1/embeddings", "application/json",
                    JSON.writeValueAsString(java.util.Map.of("input", batch, "encoding_format", "base64")));
            if (r.path("data").size() != batch.size()) {
                throw new IllegalStateException("embeddings: " + r);
            }
        }
        return seconds(t0);
    }

    static void awaitSpace(String name, int n) throws Exception {
        while (true) {
            JsonNode s = get("/v1/spaces/" + name);
            if (s.path("status").asText().equals("ready") && s.path("vectors").path("pending").asLong() == 0
                    && s.path("vectors").path("ready").asLong() == n) {
                return;
            }
            Thread.sleep(100);
        }
    }

    // ---- (b), (c) similar -------------------------------------------------------------------------------------------

    static void similarLatency(int[] sizes) throws Exception {
        // created while the catalog is empty, so its build job has nothing to embed; vectors are loaded below
        post("/v1/spaces", "application/json", "{\"name\":\"bench-synthetic\",\"recipe\":[\"title\"]}");
        awaitSpace("bench-synthetic", 0);
        String table = "item_vectors_" + queryLong("SELECT id FROM spaces WHERE name = 'bench-synthetic'");
        // the bench loads vectors without an index and builds it itself, with the parameters the service chose
        JsonNode configured = get("/v1/spaces/bench-synthetic").path("index");
        index = new int[]{configured.path("m").asInt(), configured.path("ef_construction").asInt()};
        StringBuilder scale = new StringBuilder("## (c) Query latency as the space grows (1 client, no filter)\n\n"
                + "| items | index build s | HTTP p50 ms | SQL p50 ms | HTTP p50 / SQL p50 |\n|---:|---:|---:|---:|---:|\n");
        int loaded = 0;
        Random rnd = new Random(42);
        float[][][] axes = axes(rnd);
        for (int size : sizes) {
            exec("DROP INDEX IF EXISTS " + table + "_hnsw");
            exec("INSERT INTO items (external_id, title, categories) SELECT 'b' || g, 'item ' || g, CASE "
                    + "WHEN g % 100 = 0 THEN ARRAY['rare'] WHEN g % 10 BETWEEN 1 AND 3 THEN ARRAY['common'] "
                    + "ELSE ARRAY['other'] END FROM generate_series(" + loaded + ", " + (size - 1) + ") g");
            loadVectors(table, loaded, size, axes, rnd);
            loaded = size;
            long t0 = System.nanoTime();
            exec("SET maintenance_work_mem = '1GB'", "CREATE INDEX " + table + "_hnsw ON " + table
                    + " USING hnsw (embedding vector_cosine_ops) WITH (m = " + index[0] + ", ef_construction = "
                    + index[1] + ")", "ANALYZE items", "ANALYZE " + table);
            double build = seconds(t0);
            int[] queries = new Random(size).ints(1000, 0, size).toArray();
            long[] http1 = httpLatencies(queries, 1, "");
            long[] sql1 = sqlLatencies(table, queries, 1, "true");
            scale.append("| ").append(size).append(" | ").append(f1(build)).append(" | ").append(ms(pct(http1, 50)))
                    .append(" | ").append(ms(pct(sql1, 50))).append(" | ")
                    .append(ratio(pct(http1, 50), pct(sql1, 50))).append(" |\n");
            if (size == sizes[sizes.length - 1]) {
                long[] http8 = httpLatencies(queries, 8, "");
                long[] sql8 = sqlLatencies(table, queries, 8, "true");
                print("## (b) similar on " + size + " items (384-d synthetic clustered vectors, HNSW m=" + index[0]
                        + ", ef_construction=" + index[1] + ": the service's defaults), k=10\n\n"
                        + "HTTP = GET /v1/items/{id}/similar (all of it: the item lookup and the neighbour query in one statement, "
                        + "the answer queued for the recommendation log, JSON). SQL = the same neighbour query over JDBC, one prepared "
                        + "statement per call, autocommit, ef_search etc. set once per session (the 1% row: the exact scan, "
                        + "as ours takes for filters under the exact-scan threshold). "
                        + queries.length + " requests per row after a warm-up, loopback.\n\n"
                        + "| clients | HTTP p50 ms | SQL p50 ms | p50 ratio | HTTP p99 ms | SQL p99 ms | p99 ratio |"
                        + "\n|---:|---:|---:|---:|---:|---:|---:|\n"
                        + latencyRow("1", http1, sql1) + latencyRow("8", http8, sql8)
                        + latencyRow("1, category matching 30%", httpLatencies(queries, 1, "&category=common"),
                                sqlLatencies(table, queries, 1, "i.categories && '{common}'"))
                        + latencyRow("1, category matching 1%", httpLatencies(queries, 1, "&category=rare"),
                                sqlLatencies(table, queries, 1, "i.categories && '{rare}'", "(d) + 0")) + "\n");
                print(recall(table, queries, size));
                print(buildParameters(table, queries, size));
            }
        }
        print(scale + "\n");
    }

    /** The HNSW build parameters new spaces get by default (read from the service). */
    static int[] index = {16, 64};

    /**
     * (e) Recall on real embeddings: the demo catalog's first n texts embedded by the service's default model
     * (POST /v1/embeddings), loaded into a scratch table, indexed with each of BENCH_INDEX_PARAMS; recall@10 of the
     * HNSW query against the exact one for 200 of the items.
     */
    static void realRecall(int n) throws Exception {
        List<String> texts = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(Path.of("target/demo/catalog.ndjson"))) {
            for (String line; (line = r.readLine()) != null && texts.size() < n; ) {
                texts.add(render(JSON.readTree(line)));
            }
        }
        exec("DROP TABLE IF EXISTS bench_real", "CREATE TABLE bench_real (id int PRIMARY KEY, embedding vector("
                + DIMS + ") NOT NULL)");
        long t0 = System.nanoTime();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO bench_real SELECT o::int - 1 + ?, e::vector FROM unnest(?::text[]) WITH ORDINALITY t(e, o)")) {
            for (int at = 0; at < texts.size(); at += 256) {
                List<String> batch = texts.subList(at, Math.min(texts.size(), at + 256));
                JsonNode r = post("/v1/embeddings", "application/json", JSON.writeValueAsString(
                        java.util.Map.of("input", batch)));
                String[] vectors = new String[batch.size()];
                for (int k = 0; k < batch.size(); k++) {
                    vectors[k] = r.path("data").get(k).path("embedding").toString();
                }
                ps.setInt(1, at);
                ps.setArray(2, c.createArrayOf("text", vectors));
                ps.executeUpdate();
            }
        }
        double embed = seconds(t0);
        exec("ANALYZE bench_real");
        int[] queries = new Random(11).ints(200, 0, texts.size()).toArray();
        String exactSql = "SELECT b.id FROM bench_real b WHERE b.id <> ? ORDER BY (b.embedding <=> "
                + "(SELECT embedding FROM bench_real WHERE id = ?)) + 0 LIMIT 10";
        String annSql = exactSql.replace(") + 0", ")");
        List<Set<Integer>> exact = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(exactSql)) {
            for (int q : queries) {
                exact.add(ids(ps, q));
            }
        }
        StringBuilder sb = new StringBuilder("## (e) Recall on real embeddings: " + texts.size() + " demo-catalog "
                + "items embedded by the default model (" + f1(embed) + " s), 200 queries, iterative scan "
                + "relaxed_order\n\n| m | ef_construction | build s | ef_search | recall@10 | p50 ms |\n"
                + "|---:|---:|---:|---:|---:|---:|\n");
        for (String pair : env("BENCH_INDEX_PARAMS", "16:64,16:100,16:128").split(",")) {
            int m = Integer.parseInt(pair.split(":")[0]);
            int efc = Integer.parseInt(pair.split(":")[1]);
            exec("DROP INDEX IF EXISTS bench_real_hnsw");
            long b0 = System.nanoTime();
            exec("SET maintenance_work_mem = '1GB'", "CREATE INDEX bench_real_hnsw ON bench_real USING hnsw "
                    + "(embedding vector_cosine_ops) WITH (m = " + m + ", ef_construction = " + efc + ")");
            double build = seconds(b0);
            for (int ef : new int[]{40, 100}) {
                int hits = 0;
                long[] lat = new long[queries.length];
                try (Connection c = connect(); Statement st = c.createStatement()) {
                    st.execute("SET hnsw.ef_search = " + ef);
                    st.execute("SET hnsw.iterative_scan = relaxed_order");
                    try (PreparedStatement ps = c.prepareStatement(annSql)) {
                        for (int k = 0; k < queries.length; k++) {
                            long q0 = System.nanoTime();
                            Set<Integer> found = ids(ps, queries[k]);
                            lat[k] = System.nanoTime() - q0;
                            found.retainAll(exact.get(k));
                            hits += found.size();
                        }
                    }
                }
                sb.append("| ").append(m).append(" | ").append(efc).append(" | ").append(f1(build)).append(" | ")
                        .append(ef).append(" | ").append(f3(hits / (10.0 * queries.length))).append(" | ")
                        .append(ms(pct(lat, 50))).append(" |\n");
            }
        }
        exec("DROP TABLE bench_real");
        print(sb.append('\n').toString());
    }

    static Set<Integer> ids(PreparedStatement ps, int q) throws SQLException {
        ps.setInt(1, q);
        ps.setInt(2, q);
        Set<Integer> out = new HashSet<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    static String latencyRow(String clients, long[] http, long[] sql) {
        return "| " + clients + " | " + ms(pct(http, 50)) + " | " + ms(pct(sql, 50)) + " | "
                + ratio(pct(http, 50), pct(sql, 50)) + " | " + ms(pct(http, 99)) + " | " + ms(pct(sql, 99)) + " | "
                + ratio(pct(http, 99), pct(sql, 99)) + " |\n";
    }

    static float[][][] axes(Random rnd) {
        float[][][] axes = new float[50][9][DIMS];
        for (float[][] c : axes) {
            for (float[] a : c) {
                for (int d = 0; d < DIMS; d++) {
                    a[d] = (float) rnd.nextGaussian();
                }
            }
        }
        return axes;
    }

    /** Same generator as FilteredRecallTest: 50 centres, 8 spread directions each, a little isotropic noise. */
    static void loadVectors(String table, int from, int to, float[][][] axes, Random rnd) throws SQLException {
        try (Connection c = connect()) {
            c.createStatement().execute("CREATE TEMP TABLE staging (g int, e vector(" + DIMS + "))");
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY staging FROM STDIN");
            float[] v = new float[DIMS];
            StringBuilder sb = new StringBuilder();
            for (int g = from; g < to; g++) {
                float[][] cl = axes[rnd.nextInt(axes.length)];
                System.arraycopy(cl[0], 0, v, 0, DIMS);
                for (int a = 1; a < cl.length; a++) {
                    float w = (float) (rnd.nextGaussian() * 0.5);
                    for (int d = 0; d < DIMS; d++) {
                        v[d] += w * cl[a][d];
                    }
                }
                double norm = 0;
                for (int d = 0; d < DIMS; d++) {
                    v[d] += (float) (rnd.nextGaussian() * 0.1);
                    norm += (double) v[d] * v[d];
                }
                sb.setLength(0);
                sb.append(g).append("\t[");
                for (int d = 0; d < DIMS; d++) {
                    sb.append(d == 0 ? "" : ",").append((float) (v[d] / Math.sqrt(norm)));
                }
                byte[] line = sb.append("]\n").toString().getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(line, 0, line.length);
            }
            copy.endCopy();
            c.createStatement().execute("INSERT INTO " + table + " (item_pk, embedding) SELECT i.pk, s.e "
                    + "FROM staging s JOIN items i ON i.external_id = 'b' || s.g");
        }
    }

    static long[] httpLatencies(int[] queries, int clients, String filter) throws Exception {
        return concurrently(queries, clients, () -> null, (ignored, g) -> {
            HttpResponse<String> r = send("GET", "/v1/items/b" + g + "/similar?space=bench-synthetic&k=10" + filter,
                    null, null);
            if (r.statusCode() != 200) {
                throw new IllegalStateException(r.body());
            }
        });
    }

    static long[] sqlLatencies(String table, int[] queries, int clients, String condition) throws Exception {
        return sqlLatencies(table, queries, clients, condition, "d");
    }

    static long[] sqlLatencies(String table, int[] queries, int clients, String condition, String order)
            throws Exception {
        String sql = neighbourSql(table, condition, order);
        return concurrently(queries, clients, () -> {
            Connection c = connect();
            try (Statement s = c.createStatement()) {
                s.execute("SET hnsw.ef_search = 40");
                s.execute("SET hnsw.iterative_scan = relaxed_order");
                s.execute("SET hnsw.max_scan_tuples = 40000");
            }
            return c.prepareStatement(sql);
        }, (ps, g) -> {
            bind(ps, g);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getString(1);
                    rs.getString(2);
                    rs.getArray(3).getArray();
                }
            }
        });
    }

    /** NeighbourRepository's query for an item of the space (the exact variant orders by d + 0). */
    static String neighbourSql(String table, String condition, String order) {
        String q = "(SELECT embedding FROM " + table + " WHERE item_pk = (SELECT pk FROM items WHERE external_id = ?))";
        return "SELECT id, title, categories, d FROM (SELECT i.external_id AS id, i.title, i.categories, "
                + "v.embedding <=> " + q + " AS d FROM " + table + " v JOIN items i ON i.pk = v.item_pk WHERE "
                + condition + " AND i.external_id <> ? ORDER BY " + order.replace("d", "v.embedding <=> " + q)
                + " LIMIT 10) t ORDER BY d, id";
    }

    /** The query item's id, three times: the distance in the select list, the exclusion, the order. */
    static void bind(PreparedStatement ps, int g) throws SQLException {
        for (int at = 1; at <= 3; at++) {
            ps.setString(at, "b" + g);
        }
    }

    interface Setup<T> {
        T open() throws Exception;
    }

    interface Call<T> {
        void run(T resource, int g) throws Exception;
    }

    /** Runs the queries from {@code clients} threads (each its own resource), after a warm-up of 100; nanos. */
    static <T> long[] concurrently(int[] queries, int clients, Setup<T> setup, Call<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long[] out = new long[queries.length];
        AtomicInteger next = new AtomicInteger();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                fs.add(pool.submit(() -> {
                    T r = setup.open();
                    for (int w = 0; w < 100 / clients + 1; w++) {
                        call.run(r, queries[w]);
                    }
                    for (int at; (at = next.getAndIncrement()) < queries.length; ) {
                        long t0 = System.nanoTime();
                        call.run(r, queries[at]);
                        out[at] = System.nanoTime() - t0;
                    }
                    if (r instanceof PreparedStatement ps) {
                        ps.getConnection().close();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return out;
    }

    static String recall(String table, int[] queries, int size) throws Exception {
        StringBuilder sb = new StringBuilder("### Recall@10 vs exact (" + size + " items, first 100 queries)\n\n"
                + "| case | via | ef_search | results = k | recall@10 |\n|---|---|---:|---:|---:|\n");
        int[] qs = Arrays.copyOf(queries, 100);
        for (String[] c : new String[][]{{"no filter", "", "true"},
                {"category matching 1%", "&category=rare", "i.categories && '{rare}'"},
                {"category matching 30%", "&category=common", "i.categories && '{common}'"}}) {
            int full = 0;
            int hits = 0;
            for (int g : qs) {
                JsonNode r = get("/v1/items/b" + g + "/similar?space=bench-synthetic&k=10" + c[1]);
                Set<String> exact = exact(table, g, c[2]);
                full += r.path("items").size() == 10 ? 1 : 0;
                for (JsonNode it : r.path("items")) {
                    hits += exact.contains(it.path("id").asText()) ? 1 : 0;
                }
            }
            sb.append("| ").append(c[0]).append(" | HTTP (default config) | 40 | ").append(full).append("/100 | ")
                    .append(f3(hits / 1000.0)).append(" |\n");
        }
        for (String[] setting : new String[][]{{"40", "off"}, {"40", "relaxed_order"}, {"64", "relaxed_order"},
                {"100", "relaxed_order"}}) {
            int ef = Integer.parseInt(setting[0]);
            for (String[] c : new String[][]{{"no filter", "true"}, {"category matching 30%", "i.categories && '{common}'"}}) {
                if (setting[1].equals("off") && !c[1].equals("true")) {
                    continue;
                }
                int hits = 0;
                long[] lat = new long[qs.length];
                try (Connection conn = connect(); Statement s = conn.createStatement()) {
                    s.execute("SET hnsw.ef_search = " + ef);
                    s.execute("SET hnsw.iterative_scan = " + setting[1]);
                    try (PreparedStatement ps = conn.prepareStatement(neighbourSql(table, c[1], "d"))) {
                        for (int k = 0; k < qs.length; k++) {
                            bind(ps, qs[k]);
                            Set<String> exact = exact(table, qs[k], c[1]);
                            long t0 = System.nanoTime();
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    hits += exact.contains(rs.getString(1)) ? 1 : 0;
                                }
                            }
                            lat[k] = System.nanoTime() - t0;
                        }
                    }
                }
                sb.append("| ").append(c[0]).append(" | SQL, iterative scan ").append(setting[1]).append(" (p50 ")
                        .append(ms(pct(lat, 50))).append(" ms) | ").append(ef).append(" | | ").append(f3(hits / 1000.0)).append(" |\n");
            }
        }
        return sb.append('\n').toString();
    }

    /**
     * (d) Recall against build cost: the index rebuilt with each (m, ef_construction) of BENCH_INDEX_PARAMS, then
     * recall@10 and latency of the SQL neighbour query at ef_search 40 (the serving default) and 100.
     */
    static String buildParameters(String table, int[] queries, int size) throws Exception {
        StringBuilder sb = new StringBuilder("## (d) HNSW build parameters: recall vs build time (" + size
                + " items, 200 queries, SQL with iterative scan relaxed_order, maintenance_work_mem 1GB)\n\n"
                + "| m | ef_construction | build s | index MB | ef_search | recall@10 no filter | recall@10 30% filter "
                + "| p50 ms no filter |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        int[] qs = Arrays.copyOf(queries, 200);
        for (String pair : env("BENCH_INDEX_PARAMS", "16:64,16:100,16:128").split(",")) {
            int m = Integer.parseInt(pair.split(":")[0]);
            int efc = Integer.parseInt(pair.split(":")[1]);
            exec("DROP INDEX IF EXISTS " + table + "_hnsw");
            long t0 = System.nanoTime();
            exec("SET maintenance_work_mem = '1GB'", "CREATE INDEX " + table + "_hnsw ON " + table
                    + " USING hnsw (embedding vector_cosine_ops) WITH (m = " + m + ", ef_construction = " + efc + ")");
            double build = seconds(t0);
            long mb = queryLong("SELECT pg_relation_size('" + table + "_hnsw') / 1048576");
            for (int ef : new int[]{40, 100}) {
                double[] recall = new double[2];
                long[] lat = new long[qs.length];
                String[] conditions = {"true", "i.categories && '{common}'"};
                for (int c = 0; c < 2; c++) {
                    int hits = 0;
                    try (Connection conn = connect(); Statement st = conn.createStatement()) {
                        st.execute("SET hnsw.ef_search = " + ef);
                        st.execute("SET hnsw.iterative_scan = relaxed_order");
                        try (PreparedStatement ps = conn.prepareStatement(neighbourSql(table, conditions[c], "d"))) {
                            for (int k = 0; k < qs.length; k++) {
                                bind(ps, qs[k]);
                                Set<String> exact = exact(table, qs[k], conditions[c]);
                                long q0 = System.nanoTime();
                                try (ResultSet rs = ps.executeQuery()) {
                                    while (rs.next()) {
                                        hits += exact.contains(rs.getString(1)) ? 1 : 0;
                                    }
                                }
                                if (c == 0) {
                                    lat[k] = System.nanoTime() - q0;
                                }
                            }
                        }
                    }
                    recall[c] = hits / (10.0 * qs.length);
                }
                sb.append("| ").append(m).append(" | ").append(efc).append(" | ").append(f1(build)).append(" | ")
                        .append(mb).append(" | ").append(ef).append(" | ").append(f3(recall[0])).append(" | ")
                        .append(f3(recall[1])).append(" | ").append(ms(pct(lat, 50))).append(" |\n");
            }
        }
        return sb.append('\n').toString();
    }

    static final java.util.Map<String, Set<String>> EXACT = new java.util.HashMap<>();

    static Set<String> exact(String table, int g, String condition) throws SQLException {
        Set<String> cached = EXACT.get(table + g + condition);
        if (cached != null) {
            return cached;
        }
        Set<String> out = new HashSet<>();
        EXACT.put(table + g + condition, out);
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(neighbourSql(table, condition, "(d) + 0"))) {
            bind(ps, g);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dembedrec.jobs.worker-id=bench"));
        // e.g. BENCH_JVM_OPTS=-XX:StartFlightRecording=filename=target/similar.jfr to profile the service
        for (String opt : env("BENCH_JVM_OPTS", "").split(" ")) {
            if (!opt.isBlank()) {
                command.add(opt);
            }
        }
        command.addAll(List.of("-jar", env("BENCH_APP", "target/quarkus-app") + "/quarkus-run.jar"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(new File("target/bench-spaces-service.log"));
        pb.environment().put("EMBEDREC_DB_URL", DB);
        pb.environment().put("EMBEDREC_PORT", Integer.toString(port));
        service = pb.start();
        for (int i = 0; i < 600; i++) {
            try {
                if (send("GET", "/q/health/ready", null, null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("service did not start; see target/bench-spaces-service.log");
    }

    static HttpResponse<String> send(String method, String path, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return HTTP.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode get(String path) throws Exception {
        return JSON.readTree(send("GET", path, null, null).body());
    }

    static JsonNode post(String path, String type, String body) throws Exception {
        HttpResponse<String> r = send("POST", path, type, body);
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(path + " → " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(DB, env("EMBEDREC_DB_USER", "embedrec"), env("EMBEDREC_DB_PASSWORD", "embedrec"));
    }

    static void exec(String... sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    static long queryLong(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String machine() {
        return "Machine: " + Runtime.getRuntime().availableProcessors() + " cores (shared), Java "
                + System.getProperty("java.version") + ", one service instance and PostgreSQL on loopback.";
    }

    static long pct(long[] nanos, int p) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    static void print(String s) {
        System.out.print(s);
        System.out.flush();
        OUT.append(s);
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    static String ratio(long a, long b) {
        return String.format(Locale.ROOT, "%.2f×", a / (double) b);
    }

    static String f1(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    static String f3(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
