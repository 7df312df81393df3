package io.embedrec.console;

import io.embedrec.space.Space;
import io.embedrec.space.SpaceRepository;
import io.embedrec.space.TextRecipe;
import io.embedrec.support.Catalogs;
import io.embedrec.support.SyntheticVectors;
import io.embedrec.support.TestDb;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Random;

/**
 * The console on a 20,000-item catalog in headless Chromium (src/test/js/console-large.browser.mjs): a re-embed of
 * all of it is cancelled from the jobs page while it runs; a UMAP map of 10,000 points is computed in the worker with
 * visible progress, saved, drawn and hovered; a map of all 20,000 points is drawn and hovered, with its draw and
 * hover times printed. The vectors are synthetic (clustered, written straight into a space of their own), so no
 * model has to embed 20,000 items first.
 */
@QuarkusTest
class ConsoleLargeCatalogBrowserTest {

    static final int ITEMS = 20_000;
    static final String SPACE = "synthetic";
    /** Debian-like sections: a cluster's items share one, so the map's colours follow its clusters. */
    static final String[] SECTIONS = {"admin", "database", "devel", "doc", "editors", "games", "graphics", "mail",
        "math", "net", "science", "sound", "text", "utils", "video", "web"};

    @TestHTTPResource("/")
    URL root;

    @Inject
    SpaceRepository spaces;

    @Test
    void aLargeCatalogIsMappedAndItsReembedCancelledInARealBrowser() throws Exception {
        TestDb.exec("TRUNCATE items, users CASCADE", "TRUNCATE recommendations", "TRUNCATE jobs CASCADE",
                "TRUNCATE space_maps CASCADE");
        Catalogs.onlyTheDefaultSpace();
        SyntheticVectors.Clustered data = SyntheticVectors.clustered(new Random(11), ITEMS, 384, 48);
        String[] section = new String[ITEMS];
        for (int g = 0; g < ITEMS; g++) {
            section[g] = SECTIONS[data.cluster()[g] % SECTIONS.length];
        }
        // straight into the table: items changed through the API would be queued for embedding by the model
        try (Connection c = TestDb.connect(); var ps = c.prepareStatement(
                "INSERT INTO items (external_id, title, categories) SELECT 'pkg-' || (o - 1), "
                        + "initcap(s) || ' package ' || (o - 1), ARRAY[s] FROM unnest(?::text[]) WITH ORDINALITY t(s, o)")) {
            ps.setArray(1, c.createArrayOf("text", section));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Space space = spaces.create(SPACE, Space.Kind.CONTENT, "all-minilm-l6-v2", 384, TextRecipe.DEFAULT,
                Space.Storage.VECTOR, new Space.Index(16, 64));
        SyntheticVectors.copy(space.table(), "pkg-", data.vectors());
        NodeScript.run(900, "src/test/js/console-large.browser.mjs", root.toString(), "target/screenshots", SPACE);
    }

    @AfterEach
    void dropTheLargeCatalog() {
        TestDb.exec("TRUNCATE items CASCADE", "TRUNCATE space_maps CASCADE");
        Catalogs.onlyTheDefaultSpace();
    }
}
