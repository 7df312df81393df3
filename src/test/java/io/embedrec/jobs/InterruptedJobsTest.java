package io.embedrec.jobs;

import io.embedrec.space.SpaceService;
import io.embedrec.support.Catalogs;
import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class InterruptedJobsTest {

    @Inject
    EmbeddingWorker worker;

    @Inject
    SpaceService spaces;

    @Inject
    JobRepository repository;

    @AfterEach
    void onlyContentLeft() {
        Catalogs.onlyTheDefaultSpace();
    }

    @Test
    void aRestartFailsTheTrainingItWasRunningAndDropsItsUnfinishedSpace() {
        UUID mine = UUID.randomUUID();
        UUID elsewhere = UUID.randomUUID();
        // as a crash leaves them: this instance's training running, with its space created but never activated;
        // another instance's training running too
        TestDb.exec("INSERT INTO jobs (id, type, state, worker, started_at) VALUES ('" + mine + "', 'train', "
                        + "'running', '" + worker.workerId().replace("'", "''") + "', now())",
                "INSERT INTO jobs (id, type, state, worker, started_at) VALUES ('" + elsewhere + "', 'train', "
                        + "'running', 'other-host:8080', now())");
        spaces.createTrained("half-trained", 4, "als", Map.of("job", mine.toString()));
        spaces.createTrained("theirs", 4, "als", Map.of("job", elsewhere.toString()));

        List<Job> failed = worker.failInterrupted();

        assertThat(failed).extracting(Job::id).containsExactly(mine);
        given().get("/v1/jobs/" + mine).then().body("state", equalTo("failed")).body("error", equalTo(
                "interrupted: the instance running it (" + worker.workerId() + ") restarted; start it again"));
        given().get("/v1/spaces/half-trained").then().statusCode(404);
        given().get("/v1/jobs/" + elsewhere).then().body("state", equalTo("running"));
        given().get("/v1/spaces/theirs").then().statusCode(200).body("status", equalTo("building"));
        TestDb.exec("DELETE FROM jobs WHERE id = '" + elsewhere + "'");
    }

    @Test
    void anyInstanceFailsATrainingWhoseLeaseLapsedAndDropsItsUnfinishedSpace() {
        UUID lapsed = UUID.randomUUID();
        UUID alive = UUID.randomUUID();
        // the instance that ran the first was replaced under another name: nobody renews its lease any more
        TestDb.exec("INSERT INTO jobs (id, type, state, worker, started_at, lease_until) VALUES ('" + lapsed
                        + "', 'train', 'running', 'replaced-host:8080', now(), now() - interval '1 second')",
                "INSERT INTO jobs (id, type, state, worker, started_at, lease_until) VALUES ('" + alive
                        + "', 'train', 'running', 'busy-host:8080', now(), now() + interval '1 minute')");
        spaces.createTrained("orphaned", 4, "als", Map.of("job", lapsed.toString()));

        List<Job> failed = worker.failExpired();

        assertThat(failed).extracting(Job::id).containsExactly(lapsed);
        given().get("/v1/jobs/" + lapsed).then().body("state", equalTo("failed")).body("error", equalTo(
                "interrupted: the instance running it (replaced-host:8080) stopped renewing its lease; start it "
                        + "again"));
        given().get("/v1/spaces/orphaned").then().statusCode(404);
        given().get("/v1/jobs/" + alive).then().body("state", equalTo("running"));
        TestDb.exec("DELETE FROM jobs WHERE id IN ('" + lapsed + "', '" + alive + "')");
    }

    @Test
    void aLeaseIsRenewedOnlyForTheInstanceRunningTheJob() {
        UUID mine = UUID.randomUUID();
        UUID theirs = UUID.randomUUID();
        TestDb.exec("INSERT INTO jobs (id, type, state, worker, started_at, lease_until) VALUES ('" + mine
                        + "', 'train', 'running', 'me:8080', now(), now() + interval '1 second')",
                "INSERT INTO jobs (id, type, state, worker, started_at, lease_until) VALUES ('" + theirs
                        + "', 'train', 'running', 'them:8080', now(), now() + interval '1 second')");
        repository.renew(List.of(mine, theirs), "me:8080", java.time.Duration.ofMinutes(10));
        assertThat(TestDb.count("SELECT count(*) FROM jobs WHERE id = '" + mine
                + "' AND lease_until > now() + interval '9 minutes'")).isEqualTo(1);
        assertThat(TestDb.count("SELECT count(*) FROM jobs WHERE id = '" + theirs
                + "' AND lease_until < now() + interval '2 seconds'")).isEqualTo(1);
        TestDb.exec("DELETE FROM jobs WHERE id IN ('" + mine + "', '" + theirs + "')");
    }
}
