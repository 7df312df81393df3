package io.embedrec.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The embedding benchmark, one mode per JVM so each engine's RSS is its own; bench/embedding/run.sh drives it and
 * the {@code report} mode prints the markdown table. Not a test: nothing here asserts a time.
 */
public final class EmbeddingBench {

    /** all-MiniLM-L6-v2: 6 layers, hidden 384; ~10.6 M weights in the encoder's matmuls (Q, K, V, O, FFN up/down). */
    static final double MATMUL_WEIGHTS = 10.6e6;
    static final int LAYERS = 6;
    static final int HIDDEN = 384;
    static final int TRUNCATE = 128;
    static final int REPEATS = Integer.getInteger("bench.repeats", 3);

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "prepare" -> prepare(Path.of(a[1]), Path.of(a[2]), Integer.parseInt(a[3]), Integer.parseInt(a[4]));
            case "throughput" -> throughput(a[1], Path.of(a[2]), Integer.parseInt(a[3]), Integer.parseInt(a[4]));
            case "cosine" -> cosine(Path.of(a[1]), Integer.parseInt(a[2]));
            case "matmul" -> matmul(Integer.parseInt(a[1]), Integer.parseInt(a[2]));
            case "http" -> http(a[1], a[2], Path.of(a[3]), Integer.parseInt(a[4]), Integer.parseInt(a[5]));
            case "report" -> report(Path.of(a[1]));
            default -> throw new IllegalArgumentException("unknown mode " + a[0]);
        }
    }

    // ---- texts: titles as short, descriptions as medium (<= 128 tokens) and long (> 128 tokens) ----

    static void prepare(Path catalog, Path dir, int shortCount, int otherCount) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> titles = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(catalog)) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode n = json.readTree(line);
                titles.add(oneLine(n.path("title").asText()));
                String d = n.path("description").asText("");
                if (!d.isBlank()) {
                    descriptions.add(oneLine(d));
                }
            }
        }
        Random rnd = new Random(42);
        java.util.Collections.shuffle(titles, rnd);
        java.util.Collections.shuffle(descriptions, rnd);
        HuggingFaceTokenizer tok = tokenizer(100_000);
        List<String> medium = new ArrayList<>();
        List<String> lng = new ArrayList<>();
        for (String d : descriptions) {
            int t = tok.encode(d).getIds().length;
            if (t <= TRUNCATE && t >= 40 && medium.size() < otherCount) {
                medium.add(d);
            } else if (t > TRUNCATE && lng.size() < otherCount) {
                lng.add(d);
            }
            if (medium.size() >= otherCount && lng.size() >= otherCount) {
                break;
            }
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve("short.txt"), titles.subList(0, Math.min(shortCount, titles.size())));
        Files.write(dir.resolve("medium.txt"), medium);
        Files.write(dir.resolve("long.txt"), lng);
    }

    static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ').trim();
    }

    static HuggingFaceTokenizer tokenizer(int maxLength) throws Exception {
        try (InputStream in = EmbeddingBench.class.getClassLoader()
                .getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            return HuggingFaceTokenizer.newInstance(in, Map.of("maxLength", Integer.toString(maxLength),
                    "truncation", "true", "padding", "false"));
        }
    }

    // ---- model throughput, one engine per JVM ----

    static OnnxEmbeddingModel ours(String graph, String tokenizer, int maxTokens, int threads, int budget) {
        ModelSpec spec = new ModelSpec(graph, graph, tokenizer, true, Pooling.MEAN, OptionalInt.of(HIDDEN), maxTokens,
                true, "", "", Optional.empty(), true, false);
        return OnnxEmbeddingModel.load(spec, new EngineSettings(threads, budget,
                OrtSession.SessionOptions.OptLevel.ALL_OPT), OnnxEmbeddingModel.Listener.NONE);
    }

    static void throughput(String engine, Path dir, int threads, int budget) throws Exception {
        java.util.function.Function<List<String>, Object> run;
        switch (engine) {
            case "lc4j" -> {
                AllMiniLmL6V2EmbeddingModel m = new AllMiniLmL6V2EmbeddingModel();
                run = t -> m.embedAll(t.stream().map(TextSegment::from).toList());
            }
            case "fp32" -> {
                OnnxEmbeddingModel m = ours("all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json",
                        TRUNCATE, threads, budget);
                run = m::embed;
            }
            case "int8" -> {
                OnnxEmbeddingModel m = ours("all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json",
                        TRUNCATE, threads, budget);
                run = m::embed;
            }
            case "fp32-256" -> {
                OnnxEmbeddingModel m = ours("all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json",
                        256, threads, budget);
                run = m::embed;
            }
            default -> throw new IllegalArgumentException(engine);
        }
        int truncate = engine.endsWith("256") ? 256 : TRUNCATE;
        HuggingFaceTokenizer tok = tokenizer(truncate);
        for (String set : List.of("short", "medium", "long")) {
            List<String> texts = Files.readAllLines(dir.resolve(set + ".txt"));
            run.apply(texts.subList(0, Math.min(64, texts.size())));
            long tokens = 0;
            double flops = 0;
            for (Encoding e : tok.batchEncode(texts)) {
                long t = e.getIds().length;
                tokens += t;
                flops += 2 * MATMUL_WEIGHTS * t + 4.0 * LAYERS * HIDDEN * t * t;
            }
            // best of REPEATS: other jobs on a shared machine only ever make a run slower
            double secs = Double.MAX_VALUE;
            double cpu = 0;
            for (int rep = 0; rep < REPEATS; rep++) {
                long c0 = cpuNanos();
                long t0 = System.nanoTime();
                run.apply(texts);
                double s = (System.nanoTime() - t0) / 1e9;
                if (s < secs) {
                    secs = s;
                    cpu = (cpuNanos() - c0) / 1e9;
                }
            }
            System.out.printf("tp %s %s texts=%d tokens=%d secs=%.3f cpu=%.3f gflop=%.3f rss_mb=%d%n", engine, set,
                    texts.size(), tokens, secs, cpu, flops / 1e9, peakRssMb());
        }
        System.exit(0); // LangChain4j's executor threads are not daemons
    }

    /** CPU time of the whole process (all threads): robust when other jobs share the machine. */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long peakRssMb() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmHWM:")) {
                return Long.parseLong(l.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    static void cosine(Path dir, int threads) throws Exception {
        OnnxEmbeddingModel fp32 = ours("all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", 256, threads, 768);
        OnnxEmbeddingModel int8 = ours("all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", 256, threads,
                768);
        List<String> texts = new ArrayList<>();
        for (String set : List.of("short", "medium", "long")) {
            List<String> t = Files.readAllLines(dir.resolve(set + ".txt"));
            texts.addAll(t.subList(0, Math.min(300, t.size())));
        }
        float[][] a = fp32.embed(texts);
        float[][] b = int8.embed(texts);
        double sum = 0;
        double min = 1;
        for (int i = 0; i < a.length; i++) {
            double c = TokenPooling.cosine(a[i], b[i]);
            sum += c;
            min = Math.min(min, c);
        }
        System.out.printf("cos int8 texts=%d mean=%.5f min=%.5f%n", a.length, sum / a.length, min);
    }

    // ---- the machine's single-precision matmul rate: ORT running one n^3 MatMul ----

    static void matmul(int n, int threads) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession s = env.createSession(matmulModel(n), o)) {
                float[] data = new float[n * n];
                Random r = new Random(1);
                for (int i = 0; i < data.length; i++) {
                    data[i] = r.nextFloat() - 0.5f;
                }
                long[] shape = {n, n};
                try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
                     OnnxTensor y = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape)) {
                    Map<String, OnnxTensor> in = Map.of("A", x, "B", y);
                    for (int i = 0; i < 3; i++) {
                        s.run(in).close();
                    }
                    // best of 5 rounds of 10, as for the engines
                    int runs = 10;
                    double best = Double.MAX_VALUE;
                    for (int round = 0; round < 5; round++) {
                        long t0 = System.nanoTime();
                        for (int i = 0; i < runs; i++) {
                            s.run(in).close();
                        }
                        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                    }
                    System.out.printf("mm n=%d threads=%d gflops=%.2f%n", n, threads,
                            2.0 * n * n * n * runs / best / 1e9);
                }
            }
        }
    }

    /** A one-node ONNX model C = MatMul(A, B) over float[n][n], written as protobuf by hand (no onnx package). */
    static byte[] matmulModel(int n) {
        byte[] dim = varintField(1, n);
        byte[] shape = concat(bytesField(1, dim), bytesField(1, dim));
        byte[] tensorType = concat(varintField(1, 1), bytesField(2, shape));
        byte[] type = bytesField(1, tensorType);
        byte[] node = concat(stringField(1, "A"), stringField(1, "B"), stringField(2, "C"), stringField(4, "MatMul"));
        byte[] graph = concat(bytesField(1, node), stringField(2, "matmul"),
                bytesField(11, concat(stringField(1, "A"), bytesField(2, type))),
                bytesField(11, concat(stringField(1, "B"), bytesField(2, type))),
                bytesField(12, concat(stringField(1, "C"), bytesField(2, type))));
        byte[] opset = varintField(2, 13);
        return concat(varintField(1, 8), bytesField(7, graph), bytesField(8, opset));
    }

    static byte[] varint(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    static byte[] varintField(int field, long v) {
        return concat(varint((long) field << 3), varint(v));
    }

    static byte[] bytesField(int field, byte[] b) {
        return concat(varint(((long) field << 3) | 2), varint(b.length), b);
    }

    static byte[] stringField(int field, String s) {
        return bytesField(field, s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    // ---- single-text HTTP latency against a running server ----

    static void http(String label, String base, Path texts, int clients, int perClient) throws Exception {
        List<String> lines = Files.readAllLines(texts);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ObjectMapper json = new ObjectMapper();
        // warm-up: connections, JIT, the session's arena
        for (int i = 0; i < 20; i++) {
            send(http, json, base, lines.get(i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<long[]>> futures = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int offset = c * perClient;
            futures.add(pool.submit(() -> {
                long[] lat = new long[perClient];
                for (int i = 0; i < perClient; i++) {
                    long s = System.nanoTime();
                    send(http, json, base, lines.get((offset + i) % lines.size()));
                    lat[i] = System.nanoTime() - s;
                }
                return lat;
            }));
        }
        long[] all = new long[clients * perClient];
        int k = 0;
        for (Future<long[]> f : futures) {
            for (long l : f.get()) {
                all[k++] = l;
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        Arrays.sort(all);
        System.out.printf("http %s clients=%d requests=%d p50_ms=%.2f p99_ms=%.2f rps=%.1f%n", label, clients,
                all.length, all[all.length / 2] / 1e6, all[(int) Math.ceil(all.length * 0.99) - 1] / 1e6,
                all.length / secs);
    }

    static void send(HttpClient http, ObjectMapper json, String base, String text) throws Exception {
        String body = json.writeValueAsString(Map.of("input", text));
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v1/embeddings"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
        }
    }

    // ---- the table ----

    static void report(Path results) throws Exception {
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (String l : Files.readAllLines(results)) {
            String[] p = l.trim().split("\\s+");
            if (p.length < 2) {
                continue;
            }
            List<String> words = new ArrayList<>();
            Map<String, String> kv = new LinkedHashMap<>();
            for (String s : p) {
                int eq = s.indexOf('=');
                if (eq > 0) {
                    kv.put(s.substring(0, eq), s.substring(eq + 1));
                } else {
                    words.add(s);
                }
            }
            if (words.get(0).equals("http")) {
                words.add("c" + kv.get("clients"));
            }
            rows.put(String.join(" ", words), kv);
        }
        double peak = Double.parseDouble(rows.getOrDefault("mm", Map.of()).getOrDefault("gflops", "NaN"));
        System.out.println("| texts | engine | texts/s | tokens/s | vs LangChain4j | texts per CPU-s | vs LangChain4j (CPU) "
                + "| GFLOP/s | % of matmul peak | peak RSS MB |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String set : List.of("short", "medium", "long")) {
            Map<String, String> base = rows.get("tp lc4j " + set);
            for (String engine : List.of("lc4j", "fp32", "int8", "fp32-256")) {
                Map<String, String> r = rows.get("tp " + engine + " " + set);
                if (r == null) {
                    continue;
                }
                double secs = Double.parseDouble(r.get("secs"));
                double tps = Integer.parseInt(r.get("texts")) / secs;
                double toks = Long.parseLong(r.get("tokens")) / secs;
                double gflops = Double.parseDouble(r.get("gflop")) / secs;
                double cpu = Double.parseDouble(r.get("cpu"));
                String speedup = base == null ? "" : String.format("%.2f×",
                        Double.parseDouble(base.get("secs")) / secs);
                String cpuSpeedup = base == null ? "" : String.format("%.2f×",
                        Double.parseDouble(base.get("cpu")) / cpu);
                System.out.printf("| %s (%s texts, %.0f tok avg) | %s | %.0f | %.0f | %s | %.0f | %s | %.1f | %.0f%% | %s |%n",
                        set, r.get("texts"), Double.parseDouble(r.get("tokens")) / Integer.parseInt(r.get("texts")),
                        label(engine), tps, toks, speedup, Integer.parseInt(r.get("texts")) / cpu, cpuSpeedup, gflops,
                        100 * gflops / peak, r.get("rss_mb"));
            }
        }
        System.out.println();
        System.out.printf("Machine single-precision matmul rate (ORT, one 1024³ MatMul, same threads): %.1f GFLOP/s%n",
                peak);
        rows.forEach((k, v) -> {
            if (k.startsWith("cos")) {
                System.out.printf("int8 vs fp32 cosine over %s texts: mean %s, min %s%n", v.get("texts"),
                        v.get("mean"), v.get("min"));
            }
        });
        System.out.println();
        System.out.println("| single-text HTTP | clients | requests | p50 ms | p99 ms | req/s |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        rows.forEach((k, v) -> {
            if (k.startsWith("http")) {
                System.out.printf("| %s | %s | %s | %s | %s | %s |%n", k.split(" ")[1], v.get("clients"),
                        v.get("requests"), v.get("p50_ms"), v.get("p99_ms"), v.get("rps"));
            }
        });
    }

    static String label(String engine) {
        return switch (engine) {
            case "lc4j" -> "LangChain4j 0.36.2 embedAll (fp32)";
            case "fp32" -> "embedrec fp32";
            case "int8" -> "embedrec int8 (-q)";
            case "fp32-256" -> "embedrec fp32, 256 tokens";
            default -> engine;
        };
    }
}
