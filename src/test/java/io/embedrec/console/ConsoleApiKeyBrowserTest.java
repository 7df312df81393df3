package io.embedrec.console;

import io.embedrec.support.ApiKeysProfile;
import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import org.junit.jupiter.api.Test;

import java.net.URL;

/**
 * The console of a service with API keys, in headless Chromium (src/test/js/console-keys.browser.mjs): it asks for a
 * key, shows the problem+json detail when a wrong one is entered (and does not keep it), keeps the right one in the
 * tab's session storage only, never in the page, and then every page works.
 */
@QuarkusTest
@TestProfile(ApiKeysProfile.class)
class ConsoleApiKeyBrowserTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void theConsoleAsksForAKeyAndKeepsItInTheTabOnly() throws Exception {
        // a clean slate whatever ran before: the evaluation page must start empty, one content space
        TestDb.exec("TRUNCATE items, users CASCADE", "TRUNCATE recommendations", "TRUNCATE jobs CASCADE",
                "TRUNCATE space_maps CASCADE");
        Catalogs.onlyTheDefaultSpace();
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader("Authorization", "Bearer admin-key-1").build();
        try {
            Catalogs.putTopics();
            Catalogs.awaitVectors("content", 12);
        } finally {
            RestAssured.requestSpecification = null;
        }
        NodeScript.run(300, "src/test/js/console-keys.browser.mjs", root.toString(), "target/screenshots");
    }
}
