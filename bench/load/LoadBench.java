import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load benchmark's client (bench/load/run.sh): mixed traffic from N threads for M minutes, one import and one
 * re-embed beside it; prints a markdown table per endpoint and the service's resident memory over the run.
 *
 * <p>Usage: java LoadBench.java URL PID CLIENTS MINUTES FIRST.ndjson REST.ndjson
 */
public class LoadBench {

    static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    static final Pattern TITLE = Pattern.compile("\"title\":\"([^\"]+)\"");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Latencies (ms) and status counts of one endpoint. */
    static final class Stats {
        final List<Double> ms = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong client = new AtomicLong();
        final AtomicLong server = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
    }

    static final Map<String, Stats> STATS = new ConcurrentHashMap<>();
    static final Map<String, String> FIRST_5XX = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        String url = args[0];
        long pid = Long.parseLong(args[1]);
        int clients = Integer.parseInt(args[2]);
        double minutes = Double.parseDouble(args[3]);
        List<String> ids = new ArrayList<>();
        List<String> words = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[4]))) {
            Matcher m = ID.matcher(line);
            if (m.find()) {
                ids.add(m.group(1));
            }
            Matcher t = TITLE.matcher(line);
            if (t.find()) {
                for (String w : t.group(1).split("\\W+")) {
                    if (w.length() > 3) {
                        words.add(w.toLowerCase());
                    }
                }
            }
        }
        List<String> rest = Files.readAllLines(Path.of(args[5]));
        long deadline = System.nanoTime() + (long) (minutes * 60e9);
        long rssStart = rss(pid);

        String reembed = send(url, "POST", "/v1/jobs/reembed", "application/json",
                "{\"space\":\"content\",\"scope\":\"all\"}", "reembed (start)").body();
        Matcher job = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(reembed);
        String jobId = job.find() ? job.group(1) : null;

        AtomicLong imported = new AtomicLong();
        Thread importer = new Thread(() -> {
            for (int from = 0; from < rest.size() && System.nanoTime() < deadline; from += 500) {
                String chunk = String.join("\n", rest.subList(from, Math.min(rest.size(), from + 500))) + "\n";
                try {
                    if (send(url, "POST", "/v1/items/import", "application/x-ndjson", chunk, "import (500 items)")
                            .statusCode() == 200) {
                        imported.addAndGet(Math.min(rest.size(), from + 500) - from);
                    }
                } catch (Exception e) {
                    STATS.computeIfAbsent("import (500 items)", k -> new Stats()).failed.incrementAndGet();
                }
            }
        });
        importer.start();

        List<Thread> threads = new ArrayList<>();
        AtomicLong events = new AtomicLong();
        for (int c = 0; c < clients; c++) {
            Random random = new Random(c);
            int client = c;
            Thread t = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    double r = random.nextDouble();
                    String id = ids.get(random.nextInt(ids.size()));
                    String user = String.format("demo-user-%04d", 1 + random.nextInt(300));
                    try {
                        if (r < 0.30) {
                            send(url, "GET", "/v1/items/" + id + "/similar?k=10", null, null, "similar");
                        } else if (r < 0.60) {
                            send(url, "GET", "/v1/users/" + user + "/recommendations?k=10", null, null, "feed");
                        } else if (r < 0.75) {
                            String q = words.get(random.nextInt(words.size())) + " "
                                    + words.get(random.nextInt(words.size()));
                            send(url, "POST", "/v1/search", "application/json",
                                    "{\"query\":\"" + q + "\",\"k\":10}", "search");
                        } else if (r < 0.95) {
                            StringBuilder b = new StringBuilder("[");
                            for (int e = 0; e < 10; e++) {
                                b.append(e == 0 ? "" : ",").append("{\"id\":\"load-").append(client).append('-')
                                        .append(events.incrementAndGet()).append("\",\"user\":\"").append(user)
                                        .append("\",\"item\":\"").append(ids.get(random.nextInt(ids.size())))
                                        .append("\",\"type\":\"").append(random.nextInt(4) == 0 ? "like" : "view")
                                        .append("\"}");
                            }
                            send(url, "POST", "/v1/events", "application/json", b.append(']').toString(),
                                    "events (batch of 10)");
                        } else {
                            send(url, "PUT", "/v1/items/load-item-" + random.nextInt(200), "application/json",
                                    "{\"title\":\"Load item " + random.nextInt(1000) + "\",\"categories\":[\"load\"]}",
                                    "item upsert");
                        }
                    } catch (Exception e) {
                        STATS.computeIfAbsent("(connection errors)", k -> new Stats()).failed.incrementAndGet();
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        long rssMid = 0;
        long half = System.nanoTime() + (deadline - System.nanoTime()) / 2;
        while (System.nanoTime() < half) {
            Thread.sleep(200);
        }
        rssMid = rss(pid);
        for (Thread t : threads) {
            t.join();
        }
        importer.join();
        long rssEnd = rss(pid);
        String jobState = jobId == null ? "not started: " + reembed
                : send(url, "GET", "/v1/jobs/" + jobId, null, null, "job status").body();

        double seconds = minutes * 60;
        System.out.println("| endpoint | requests | requests/s | p50 ms | p99 ms | 4xx | 5xx | failed |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        long total = 0;
        long total5xx = 0;
        for (Map.Entry<String, Stats> e : new TreeMap<>(STATS).entrySet()) {
            Stats s = e.getValue();
            List<Double> ms = new ArrayList<>(s.ms);
            Collections.sort(ms);
            total += ms.size();
            total5xx += s.server.get();
            System.out.printf("| %s | %d | %.1f | %s | %s | %d | %d | %d |%n", e.getKey(), ms.size(),
                    ms.size() / seconds, pct(ms, 0.50), pct(ms, 0.99), s.client.get(), s.server.get(), s.failed.get());
        }
        System.out.printf("| **all** | %d | %.1f | | | | **%d** | |%n", total, total / seconds, total5xx);
        System.out.println();
        System.out.printf("Resident memory of the service: %d MiB at the start of the traffic, %d MiB half-way, "
                + "%d MiB at the end.%n", rssStart / 1024, rssMid / 1024, rssEnd / 1024);
        System.out.printf("Import during the traffic: %d of %d items. Re-embed job at the end: %s%n", imported.get(),
                rest.size(), summary(jobState));
        if (!FIRST_5XX.isEmpty()) {
            System.out.println();
            System.out.println("First 5xx answer per endpoint:");
            FIRST_5XX.forEach((k, v) -> System.out.println("- " + k + ": " + v));
        }
    }

    static String summary(String job) {
        Matcher m = Pattern.compile("\"state\":\"(\\w+)\".*?\"total\":(\\d+).*?\"done\":(\\d+)").matcher(job);
        return m.find() ? m.group(1) + ", " + m.group(3) + " of " + m.group(2) + " items" : job;
    }

    static String pct(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return "–";
        }
        double v = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
        return String.format("%.1f", v);
    }

    static HttpResponse<String> send(String url, String method, String path, String type, String body, String name)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(120));
        if (type != null) {
            b.header("Content-Type", type);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        long t0 = System.nanoTime();
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - t0) / 1e6;
        Stats s = STATS.computeIfAbsent(name, k -> new Stats());
        s.ms.add(ms);
        if (r.statusCode() >= 500) {
            s.server.incrementAndGet();
            FIRST_5XX.putIfAbsent(name, r.statusCode() + " " + r.body());
        } else if (r.statusCode() >= 400) {
            s.client.incrementAndGet();
        }
        return r;
    }

    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }
}
