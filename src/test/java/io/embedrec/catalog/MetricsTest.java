package io.embedrec.catalog;

import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** /q/metrics in Prometheus text format; the tests run with embedrec.catalog.item-count-refresh=0s. */
@QuarkusTest
class MetricsTest {

    static final String ITEMS = "embedrec_items{}";
    static final String GET_ITEM_200 = "http_server_requests_seconds_count"
            + "{method=GET, outcome=SUCCESS, status=200, uri=/v1/items/{id}}";
    static final String GET_ITEM_404 = "http_server_requests_seconds_count"
            + "{method=GET, outcome=CLIENT_ERROR, status=404, uri=/v1/items/{id}}";
    static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
    static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @BeforeEach
    void emptyCatalog() {
        TestDb.exec("TRUNCATE items CASCADE");
    }

    @Test
    void itemsGaugeEqualsTheNumberOfItemsInTheCatalog() {
        assertThat(sample(scrape(), ITEMS)).hasValue(0.0);

        for (String id : new String[] {"m-1", "m-2", "m-3"}) {
            put(id);
        }
        assertThat(sample(scrape(), ITEMS)).hasValue(3.0);

        given().delete("/v1/items/m-2").then().statusCode(204);
        assertThat(sample(scrape(), ITEMS)).hasValue(2.0);
    }

    @Test
    void itemReadsAreCountedUnderTheRouteTemplateNotTheRawPath() {
        String before = scrape();
        put("m-10");
        given().get("/v1/items/m-10").then().statusCode(200);
        given().get("/v1/items/m-10").then().statusCode(200);
        given().get("/v1/items/missing").then().statusCode(404);

        double ok = sample(before, GET_ITEM_200).orElse(0) + 2;
        double notFound = sample(before, GET_ITEM_404).orElse(0) + 1;
        String after = scrapeUntil(GET_ITEM_200, ok, GET_ITEM_404, notFound);
        assertThat(sample(after, GET_ITEM_200)).hasValue(ok);
        assertThat(sample(after, GET_ITEM_404)).hasValue(notFound);
        assertThat(after).doesNotContain("uri=\"/v1/items/m-10\"", "uri=\"/v1/items/missing\"");
    }

    static void put(String id) {
        given().contentType(ContentType.JSON).body(Map.of("title", "Item " + id)).put("/v1/items/" + id)
                .then().statusCode(201);
    }

    static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * Scrapes until both samples have reached their values: a request is counted when its response has been
     * written, which may be just after the client has read it. Gives up after 30 s (a hang guard).
     */
    static String scrapeUntil(String series1, double value1, String series2, double value2) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String scrape = scrape();
        while ((sample(scrape, series1).orElse(0) < value1 || sample(scrape, series2).orElse(0) < value2)
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            scrape = scrape();
        }
        return scrape;
    }

    /**
     * The value of the sample whose name and exact label set are {@code series} ({@code name{k=v, ...}}, labels
     * sorted), if the scrape has it. Parsed, because the text formats differ in details such as a trailing comma.
     */
    static OptionalDouble sample(String scrape, String series) {
        return scrape.lines()
                .map(SAMPLE::matcher)
                .filter(Matcher::matches)
                .filter(m -> series.equals(m.group(1) + labels(m.group(2))))
                .mapToDouble(m -> Double.parseDouble(m.group(3)))
                .findFirst();
    }

    static String labels(String text) {
        Map<String, String> labels = new TreeMap<>();
        if (text != null) {
            Matcher m = LABEL.matcher(text);
            while (m.find()) {
                labels.put(m.group(1), m.group(2));
            }
        }
        return labels.toString();
    }
}
