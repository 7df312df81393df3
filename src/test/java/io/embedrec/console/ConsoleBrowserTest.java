package io.embedrec.console;

import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static io.restassured.RestAssured.given;

/**
 * The web console in headless Chromium (src/test/js/console.browser.mjs): search and open a result, similar items,
 * like an item and see the feed change, a re-embed job's live progress bar reaching 100%, the map computed, saved,
 * drawn and hovered, the evaluation page, bought-together, trending and availability on the item page, the rules
 * page's save and preview, an experiment's report, the jobs page's space choice, a phone-sized viewport. Screenshots go to target/screenshots/.
 */
@QuarkusTest
class ConsoleBrowserTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void everyPageWorksInARealBrowser() throws Exception {
        TestDb.exec("TRUNCATE items, users CASCADE", "TRUNCATE recommendations", "TRUNCATE jobs CASCADE",
                "TRUNCATE space_maps CASCADE", "TRUNCATE rule_sets, rule_set_default, experiments");
        // a space the browser test creates, left over from an earlier run
        given().post("/v1/spaces/content/activate").then().statusCode(200);
        given().delete("/v1/spaces/titles");
        Catalogs.putTopics();
        Catalogs.awaitVectors("content", 12);
        try {
            NodeScript.run(900, "src/test/js/console.browser.mjs", root.toString(), "target/screenshots");
        } finally {
            // the script trains a collaborative space; the tests after this one start from the default space alone
            Catalogs.onlyTheDefaultSpace();
        }
    }
}
