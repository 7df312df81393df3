package io.embedrec.recommendation;

import io.embedrec.common.EmbedrecConfig;
import io.embedrec.space.Space;
import io.embedrec.space.SpaceRepository;
import io.embedrec.space.TextRecipe;
import io.embedrec.support.SyntheticVectors;
import io.embedrec.support.TestDb;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntPredicate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recall of "similar" on a 20,000-item space of synthetic clustered vectors (no model), with a filter matching 1%
 * of the items (answered by the exact scan), one matching 30% (HNSW iterative scan) and none, each against the exact
 * answer computed here in Java. Recall, not exact ids, is the contract of an approximate index.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FilteredRecallTest {

    static final int ITEMS = 20_000;
    static final int DIMS = 384;
    static final int CLUSTERS = 50;
    static final int QUERIES = 50;
    static final int K = 10;
    static final String SPACE = "recall-synthetic";

    /** g is the item's number: r<g>; 1% are 'rare', a disjoint 30% 'common'. */
    static final IntPredicate RARE = g -> g % 100 == 0;
    static final IntPredicate COMMON = g -> g % 10 >= 1 && g % 10 <= 3;

    @Inject
    SpaceRepository spaces;

    @Inject
    EmbedrecConfig config;

    float[][] vectors;
    int[] queries;

    @BeforeAll
    void syntheticSpace() throws Exception {
        TestDb.exec("TRUNCATE items CASCADE",
                "INSERT INTO items (external_id, title, categories) SELECT 'r' || g, 'item ' || g, "
                        + "CASE WHEN g % 100 = 0 THEN ARRAY['rare'] WHEN g % 10 BETWEEN 1 AND 3 THEN ARRAY['common'] "
                        + "ELSE ARRAY['other'] END FROM generate_series(0, " + (ITEMS - 1) + ") g");
        vectors = SyntheticVectors.clustered(new Random(42), ITEMS, DIMS, CLUSTERS).vectors();
        Space space = spaces.byName(SPACE).orElseGet(() -> spaces.create(SPACE, Space.Kind.CONTENT,
                "all-minilm-l6-v2", DIMS, TextRecipe.DEFAULT, Space.Storage.VECTOR, new Space.Index(16, 64)));
        SyntheticVectors.copy(space.table(), "r", vectors);
        QuarkusTransaction.requiringNew().run(() -> spaces.buildIndexAndMarkReady(space, "512MB"));
        // what autovacuum would do by itself a little later: the planner needs the categories' frequencies
        TestDb.exec("ANALYZE items", "ANALYZE " + space.table());
        Random pick = new Random(7);
        queries = new int[QUERIES];
        for (int q = 0; q < QUERIES; q++) {
            queries[q] = pick.nextInt(ITEMS);
        }
    }

    @AfterAll
    void emptyCatalog() {
        TestDb.exec("TRUNCATE items CASCADE");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void droppingTheSyntheticSpaceRemovesItsVectorTable() {
        String table = "item_vectors_" + spaces.byName(SPACE).orElseThrow().id();
        given().delete("/v1/spaces/" + SPACE).then().statusCode(204);
        assertThat(TestDb.count("SELECT count(*) FROM pg_class WHERE relname = '" + table + "'")).isZero();
    }

    @Test
    void rareCategoryIsAnsweredExactly() {
        assertThat(ITEMS / 100).isLessThan(config.recommend().exactScanThreshold());
        assertThat(recall("rare", RARE)).isEqualTo(1.0);
    }

    // The HNSW paths are approximate and pgvector's index build is not deterministic: on these tightly clustered
    // synthetic vectors recall@10 at the default ef_search lands between 0.93 and 0.95 from build to build (see
    // bench/spaces/RESULTS.md). The tests hold them to 0.90 so they cannot flake, and to k results every time;
    // the 1% filter of the issue goes through the exact path and is held to 1.0.
    static final double HNSW_RECALL_FLOOR = 0.90;

    @Test
    void commonCategoryThroughTheIterativeIndexScanKeepsRecallHigh() {
        assertThat(ITEMS * 3 / 10).as("30% of the items must take the HNSW path")
                .isGreaterThanOrEqualTo(config.recommend().exactScanThreshold());
        assertThat(recall("common", COMMON)).as("recall@10, 30% filter").isGreaterThanOrEqualTo(HNSW_RECALL_FLOOR);
    }

    @Test
    void unfilteredIndexScanKeepsRecallHigh() {
        assertThat(recall(null, g -> true)).as("recall@10, no filter").isGreaterThanOrEqualTo(HNSW_RECALL_FLOOR);
    }

    /** Mean recall@K over the query items; every answer must have K items and exhaustive=false. */
    private double recall(String category, IntPredicate matches) {
        int hits = 0;
        for (int q : queries) {
            var request = given().queryParam("space", SPACE).queryParam("k", K);
            if (category != null) {
                request = request.queryParam("category", category);
            }
            JsonPath r = request.get("/v1/items/r" + q + "/similar").then().statusCode(200).extract().jsonPath();
            List<String> got = r.getList("items.id", String.class);
            assertThat(got).as("answer for r%d", q).hasSize(K).doesNotHaveDuplicates();
            assertThat(r.getBoolean("exhaustive")).isFalse();
            Set<String> exact = new HashSet<>(exactNearest(q, matches));
            hits += (int) got.stream().filter(exact::contains).count();
        }
        return hits / (double) (K * queries.length);
    }

    private List<String> exactNearest(int q, IntPredicate matches) {
        // vectors are unit length: cosine distance orders as the negated dot product
        int[] best = new int[K];
        double[] bestDot = new double[K];
        java.util.Arrays.fill(bestDot, Double.NEGATIVE_INFINITY);
        for (int g = 0; g < ITEMS; g++) {
            if (g == q || !matches.test(g)) {
                continue;
            }
            double dot = 0;
            for (int d = 0; d < DIMS; d++) {
                dot += (double) vectors[q][d] * vectors[g][d];
            }
            if (dot > bestDot[K - 1]) {
                int at = K - 1;
                while (at > 0 && bestDot[at - 1] < dot) {
                    bestDot[at] = bestDot[at - 1];
                    best[at] = best[at - 1];
                    at--;
                }
                bestDot[at] = dot;
                best[at] = g;
            }
        }
        List<String> ids = new ArrayList<>(K);
        for (int g : best) {
            ids.add("r" + g);
        }
        return ids;
    }
}
