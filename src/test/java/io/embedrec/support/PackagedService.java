package io.embedrec.support;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar (target/quarkus-app/quarkus-run.jar) started the way the README starts it, on a free loopback
 * port and the test database, with its own worker id; its log goes to target/it-logs/&lt;name&gt;.log.
 */
public final class PackagedService implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final String workerId;
    private final List<String> extraProperties;
    private final int port;
    private String database = TestDb.URL;
    private Process process;

    public PackagedService(String name, String workerId, String... extraProperties) {
        this.name = name;
        this.workerId = workerId;
        this.extraProperties = List.of(extraProperties);
        this.port = freePort();
    }

    /** Runs the service on another database (a private cluster's) than the test database. */
    public PackagedService database(String jdbcUrl) {
        this.database = jdbcUrl;
        return this;
    }

    /** Starts the service (again, after a kill: same port and worker id) and waits until it is ready. */
    public PackagedService start() throws IOException, InterruptedException {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw package first");
        }
        Path logs = Files.createDirectories(Path.of("target/it-logs"));
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dembedrec.jobs.worker-id=" + workerId));
        cmd.addAll(extraProperties);
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(logs.toFile(), name + ".log")));
        pb.environment().put("EMBEDREC_DB_URL", database);
        pb.environment().put("EMBEDREC_PORT", Integer.toString(port));
        process = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see target/it-logs");
            }
            try {
                if (send("GET", "/q/health/ready", null, null).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " did not get ready in 120 s");
    }

    /** kill -9 of the java process itself: no shutdown hooks, open transactions die with their connections. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    public Map<String, Object> getJson(String path) throws IOException, InterruptedException {
        return json(send("GET", path, null, null), 200);
    }

    public Map<String, Object> postJson(String path, Object body, int expectedStatus)
            throws IOException, InterruptedException {
        return json(send("POST", path, "application/json", JSON.writeValueAsString(body)), expectedStatus);
    }

    public Map<String, Object> postNdjson(String path, String body) throws IOException, InterruptedException {
        return json(send("POST", path, "application/x-ndjson", body), 200);
    }

    /** A Prometheus counter's value on /q/metrics (the line starting with {@code series}), 0 when absent. */
    public double metric(String series) throws IOException, InterruptedException {
        String text = send("GET", "/q/metrics", null, null).body();
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    /** Waits until a space has no pending vectors. */
    public void awaitNoPending(String space, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            @SuppressWarnings("unchecked")
            Map<String, Object> v = (Map<String, Object>) getJson("/v1/spaces/" + space).get("vectors");
            if (((Number) v.get("pending")).longValue() == 0) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("space " + space + " still has pending vectors: " + getJson("/v1/spaces/" + space));
    }

    /** Waits until a job has ended; returns it. */
    public Map<String, Object> awaitJob(String id, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> job = getJson("/v1/jobs/" + id);
            if (!List.of("queued", "running").contains((String) job.get("state"))) {
                return job;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("job " + id + " did not end: " + getJson("/v1/jobs/" + id));
    }

    /** One request as it is answered, whatever its status. */
    public HttpResponse<String> request(String method, String path, String type, String body)
            throws IOException, InterruptedException {
        return send(method, path, type, body);
    }

    private HttpResponse<String> send(String method, String path, String type, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(300));
        if (type != null) {
            b.header("Content-Type", type);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> r, int expectedStatus) throws IOException {
        if (r.statusCode() != expectedStatus) {
            throw new AssertionError("expected " + expectedStatus + " but got " + r.statusCode() + ": " + r.body());
        }
        return JSON.readValue(r.body(), Map.class);
    }

    /** NDJSON of {@code n} items with short distinct synthetic texts, ids {@code prefix0..}. */
    public static String syntheticItems(String prefix, int n) {
        String[] nouns = {"kettle", "lamp", "tent", "novel", "drill", "scarf", "guitar", "kayak", "blender", "atlas"};
        String[] adjectives = {"red", "compact", "vintage", "solar", "wooden", "quiet", "folding", "heavy", "smart"};
        StringBuilder sb = new StringBuilder(n * 120);
        for (int i = 0; i < n; i++) {
            String noun = nouns[i % nouns.length];
            String adjective = adjectives[(i / nouns.length) % adjectives.length];
            sb.append("{\"id\":\"").append(prefix).append(i).append("\",\"title\":\"").append(adjective).append(' ')
                    .append(noun).append(" model ").append(i).append("\",\"description\":\"A ").append(adjective)
                    .append(' ').append(noun).append(", series ").append(i % 97).append(".\",\"categories\":[\"")
                    .append(noun).append("\"]}\n");
        }
        return sb.toString();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
