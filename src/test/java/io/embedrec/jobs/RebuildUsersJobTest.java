package io.embedrec.jobs;

import io.embedrec.interaction.UserVectorService;
import io.embedrec.space.SpaceService;
import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.embedrec.support.UserVectors;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.embedrec.support.UserVectors.event;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

@QuarkusTest
class RebuildUsersJobTest {

    @Inject
    UserVectorService userVectors;

    @Inject
    SpaceService spaces;

    @BeforeEach
    void topicCatalog() {
        Catalogs.freshTopics();
    }

    @Test
    void theJobRestoresACorruptedUserVector() {
        UserVectors.post(List.of(event("a1", "alice", "boot-1", "purchase", null, "2026-01-01T00:00:00Z"),
                event("a2", "alice", "esp-2", "dislike", null, "2026-01-02T00:00:00Z"),
                event("a3", "alice", "book-1", "like", null, "2026-01-03T00:00:00Z"),
                event("b1", "bob", "esp-1", "like", null, "2026-01-01T00:00:00Z")));
        double[] good = UserVectors.storedSum("content", "alice");
        TestDb.exec("UPDATE user_vectors SET sum = array_fill(1::float8, ARRAY[384]), embedding = NULL, "
                + "ref_count = 99 WHERE user_pk = (SELECT pk FROM users WHERE external_id = 'alice')");
        assertThat(UserVectors.storedSum("content", "alice")[0]).isEqualTo(1.0);

        String id = given().contentType(ContentType.JSON).body(Map.of("space", "content"))
                .post("/v1/jobs/rebuild-users").then().statusCode(202)
                .header("Location", matchesPattern(".*/v1/jobs/[0-9a-f-]{36}"))
                .body("type", equalTo("rebuild-users")).body("params.space", equalTo("content"))
                .extract().path("id");
        Map<String, Object> job = Catalogs.awaitJob(id);
        assertThat(job).containsEntry("state", "done").containsEntry("total", 2).containsEntry("done", 2)
                .containsEntry("failed", 0);
        double[] restored = UserVectors.storedSum("content", "alice");
        double[] rebuilt = userVectors.fromHistory(spaces.require("content"), UserVectors.userPk("alice")).sum;
        UserVectors.assertClose(restored, rebuilt, 1e-12);
        UserVectors.assertClose(restored, good, 1e-12);
        assertThat(TestDb.text("SELECT ref_count || ' ' || (embedding IS NOT NULL) FROM user_vectors v "
                + "JOIN users u ON u.pk = v.user_pk WHERE u.external_id = 'alice'")).isEqualTo("3 true");
        assertThat(TestDb.count("SELECT count(*) FROM user_rebuild_queue")).isZero();
    }

    @Test
    void withoutABodyEveryContentSpaceIsRebuiltAndUnknownSpacesAre404() {
        UserVectors.post(List.of(event("c1", "carol", "boot-1", "like", null, null)));
        String id = given().contentType(ContentType.JSON).post("/v1/jobs/rebuild-users").then().statusCode(202)
                .body("params", equalTo(Map.of())).extract().path("id");
        assertThat(Catalogs.awaitJob(id)).containsEntry("state", "done").containsEntry("total", 1)
                .containsEntry("done", 1);
        given().contentType(ContentType.JSON).body(Map.of("space", "nope")).post("/v1/jobs/rebuild-users").then()
                .statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("no space named 'nope'"));
    }
}
