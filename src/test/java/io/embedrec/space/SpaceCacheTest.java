package io.embedrec.space;

import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Serving reads the spaces from memory, and a change to the table made elsewhere (another instance, an operator in
 * psql: here another connection, without telling the service) is served within a bound, also after the connection
 * that hears changes was cut.
 */
@QuarkusTest
class SpaceCacheTest {

    /** What a change elsewhere may take to reach serving: milliseconds normally; generous on a loaded machine. */
    static final Duration BOUND = Duration.ofSeconds(5);

    @AfterEach
    void dropTheSpaceMadeBehindTheServicesBack() {
        String id = TestDb.text("SELECT coalesce(max(id)::text, '') FROM spaces WHERE name = 'elsewhere'");
        if (!id.isEmpty()) {
            TestDb.exec("DROP TABLE IF EXISTS item_vectors_" + id, "DELETE FROM spaces WHERE id = " + id);
        }
    }

    @Test
    void aSpaceCreatedAndDroppedByAnotherWriterIsServedAndForgottenWithinTheBound() {
        // the cache holds the spaces without 'elsewhere'
        assertThat(detail()).isEqualTo("no space named 'elsewhere'");
        createElsewhere();
        assertThat(within(BOUND, () -> detail().equals("no item with id 'nope'"))).isTrue();
        dropTheSpaceMadeBehindTheServicesBack();
        assertThat(within(BOUND, () -> detail().equals("no space named 'elsewhere'"))).isTrue();
    }

    @Test
    void changesMadeWhileTheListeningConnectionIsCutAreNotMissed() {
        assertThat(detail()).isEqualTo("no space named 'elsewhere'");
        TestDb.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
                + "'embedrec-changes' AND datname = current_database()");
        createElsewhere();
        assertThat(within(BOUND, () -> detail().equals("no item with id 'nope'"))).isTrue();
        // and after it is back, changes are heard again
        assertThat(within(BOUND, () -> TestDb.count("SELECT count(*) FROM pg_stat_activity WHERE application_name "
                + "= 'embedrec-changes' AND datname = current_database()") == 1)).isTrue();
        dropTheSpaceMadeBehindTheServicesBack();
        assertThat(within(BOUND, () -> detail().equals("no space named 'elsewhere'"))).isTrue();
    }

    private static void createElsewhere() {
        long id = TestDb.count("INSERT INTO spaces (name, kind, model, dimensions, recipe, storage, status) VALUES "
                + "('elsewhere', 'content', 'all-minilm-l6-v2', 384, '[\"title\"]', 'vector', 'ready') RETURNING id");
        TestDb.exec("CREATE TABLE item_vectors_" + id + " (item_pk bigint PRIMARY KEY, embedding vector(384) NOT NULL)");
    }

    private static String detail() {
        return given().get("/v1/items/nope/similar?space=elsewhere").then().statusCode(404).extract()
                .path("detail");
    }

    private static boolean within(Duration bound, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return true;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.get();
    }
}
