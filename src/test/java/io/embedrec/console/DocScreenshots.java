package io.embedrec.console;

import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Not a test: refreshes the README's console screenshots (docs/console-map.png, docs/console-user.png) from the demo
 * catalog and history, as a visitor of the demo sees them (src/test/js/doc-screenshots.mjs). Its name keeps it out of
 * the ordinary test run; it empties the test database's tables. Run by hand:
 * <pre>
 * scripts/make-demo-catalog.sh target/demo/catalog.ndjson --limit 4000
 * scripts/make-demo-history.sh target/demo/catalog.ndjson target/demo/history.ndjson --users 300
 * ./mvnw -B test -Dtest=DocScreenshots
 * </pre>
 */
@QuarkusTest
class DocScreenshots {

    static final Path CATALOG = Path.of("target/demo/catalog.ndjson");
    static final Path HISTORY = Path.of("target/demo/history.ndjson");

    @TestHTTPResource("/")
    URL root;

    @Test
    void screenshotsOfTheDemo() throws Exception {
        assumeTrue(Files.exists(CATALOG) && Files.exists(HISTORY), "make the demo catalog and history first");
        TestDb.exec("TRUNCATE items, users CASCADE", "TRUNCATE recommendations", "TRUNCATE jobs CASCADE",
                "TRUNCATE space_maps CASCADE");
        Catalogs.onlyTheDefaultSpace();
        given().contentType("application/x-ndjson").body(Files.readAllBytes(CATALOG)).post("/v1/items/import")
                .then().statusCode(200).body("rejected", equalTo(0));
        long items;
        try (var lines = Files.lines(CATALOG)) {
            items = lines.count();
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        for (;;) {
            Map<String, Object> v = given().get("/v1/spaces/content").then().statusCode(200).extract().path("vectors");
            if (((Number) v.get("ready")).longValue() == items || System.nanoTime() > deadline) {
                break;
            }
            Catalogs.sleep(1000);
        }
        given().contentType("application/x-ndjson").body(Files.readAllBytes(HISTORY)).post("/v1/events")
                .then().statusCode(200).body("rejected", equalTo(0));
        NodeScript.run(600, "src/test/js/doc-screenshots.mjs", root.toString(), "docs");
    }
}
