package io.embedrec.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embedrec.support.TestDb;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * End to end: scripts/demo.sh, the first quick-start command, run as the README says (with the jar that
 * {@code package} just built), and the service it starts used over HTTP with the key it prints.
 */
class DemoIT {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Pattern KEY_LINE = Pattern.compile("^\\s+api key\\s+(\\S+)\\s.*");

    final List<String> output = new CopyOnWriteArrayList<>();
    Process demo;

    @Test
    void demoStartsTheServiceLoadsTheCatalogAndStopsCleanly() throws Exception {
        TestDb.exec("TRUNCATE items CASCADE");
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder("bash", "scripts/demo.sh", "--no-build")
                .directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().put("DEMO_LIMIT", "300");
        pb.environment().put("EMBEDREC_PORT", Integer.toString(port));
        pb.environment().put("EMBEDREC_DB_URL", TestDb.URL);
        demo = pb.start();
        demo.getOutputStream().close();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> readOutput(ready), "demo-output");
        reader.setDaemon(true);
        reader.start();

        // a hang guard (start-up normally takes seconds), not a timing assertion
        assertThat(ready.get(5, TimeUnit.MINUTES)).as(String.join("\n", output)).isTrue();

        assertThat(output).contains("demo: imported 300 lines: 300 created, 0 updated, 0 unchanged, 0 rejected");
        assertThat(output).anyMatch(l -> l.matches("demo: loaded (\\d+) events: \\1 accepted, 0 already there, 0 rejected.*"));
        String key = output.stream().map(KEY_LINE::matcher).filter(Matcher::matches).map(m -> m.group(1))
                .findFirst().orElseThrow();
        assertThat(key).isEqualTo(Files.readString(ROOT.resolve("target/demo/api-key")).strip());

        List<JsonNode> catalog = catalog();
        assertThat(catalog).hasSize(300);
        Set<String> ids = catalog.stream().map(n -> n.get("id").asText()).collect(Collectors.toSet());

        List<String> page = http(port).header("Authorization", "Bearer " + key).queryParam("limit", 5)
                .get("/v1/items").then().statusCode(200).extract().jsonPath().getList("items.id");
        assertThat(page).hasSize(5).allMatch(ids::contains);

        JsonNode last = catalog.get(catalog.size() - 1);
        http(port).header("Authorization", "Bearer " + key).get("/v1/items/" + last.get("id").asText())
                .then().statusCode(200)
                .body("id", equalTo(last.get("id").asText()))
                .body("title", equalTo(last.get("title").asText()));

        // the feed command it prints names a demo user with a history: their first feed is personal, not the
        // anonymous popular list (it once named a user the history never had)
        String feedLine = output.stream().filter(l -> l.contains("/recommendations")).findFirst().orElseThrow();
        Matcher user = Pattern.compile("/v1/users/([^/]+)/recommendations").matcher(feedLine);
        assertThat(user.find()).as(feedLine).isTrue();
        http(port).header("Authorization", "Bearer " + key).get("/v1/users/" + user.group(1)).then().statusCode(200);
        // the catalog embeds in the background after the import: the user's vector follows (a hang guard only)
        String strategy = "popular";
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); strategy.equals("popular")
                && System.nanoTime() < end; Thread.sleep(500)) {
            strategy = http(port).header("Authorization", "Bearer " + key)
                    .get("/v1/users/" + user.group(1) + "/recommendations").then().statusCode(200).extract()
                    .path("strategy");
        }
        assertThat(strategy).isIn("personal", "hybrid");

        http(port).get("/v1/items?limit=5").then().statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401));
        http(port).header("Authorization", "Bearer not-the-key").get("/v1/items?limit=5").then().statusCode(401);

        List<ProcessHandle> tree = demo.descendants().toList();
        assertThat(tree).anyMatch(h -> h.info().commandLine().orElse("").contains("quarkus-run.jar"));
        assertThat(tree).noneMatch(h -> h.info().commandLine().orElse("").contains(key));

        // SIGTERM, as Ctrl-C or a service manager would; the script's trap stops the service. Not Process.destroy():
        // that also closes our end of the output pipe, and we want to read the script's last words.
        demo.toHandle().destroy();
        assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as(String.join("\n", output)).isTrue();
        for (ProcessHandle h : tree) {
            h.onExit().get(30, TimeUnit.SECONDS);
        }
        reader.join(10_000);
        assertThat(output).anyMatch(l -> l.startsWith("demo: stopping embedrec (pid "));
        assertThat(tree).noneMatch(ProcessHandle::isAlive);
    }

    @AfterEach
    void stopEverything() {
        if (demo != null) {
            List<ProcessHandle> tree = demo.descendants().toList();
            demo.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private void readOutput(CompletableFuture<Boolean> ready) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.add(line);
                System.out.println("[demo.sh] " + line);
                if (line.startsWith("demo: ready")) {
                    ready.complete(true);
                }
            }
        } catch (IOException e) {
            // the process went away; fall through
        }
        ready.complete(false);
    }

    static List<JsonNode> catalog() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(ROOT.resolve("target/demo/catalog.ndjson"))) {
            if (!line.isBlank()) {
                out.add(json.readTree(line));
            }
        }
        return out;
    }

    static RequestSpecification http(int port) {
        return given().baseUri("http://127.0.0.1").port(port);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
