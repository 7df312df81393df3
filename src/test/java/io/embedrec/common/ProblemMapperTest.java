package io.embedrec.common;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures mean "the database is out of reach" (503), wherever the driver's error sits in the chain. */
class ProblemMapperTest {

    @Test
    void aConnectionErrorIsFoundAmongCausesAndSuppressedExceptions() {
        // a commit that failed as the server shut down: the rollback carries the driver's error as suppressed
        RuntimeException rollback = new RuntimeException("Could not commit transaction.");
        Exception xa = new Exception("Error trying to transactionCommit local transaction");
        xa.initCause(new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        rollback.addSuppressed(xa);
        assertThat(ProblemMapper.databaseUnavailable(new IllegalStateException(rollback))).isTrue();
        assertThat(ProblemMapper.databaseUnavailable(new RuntimeException(new SQLException("refused", "08001"))))
                .isTrue();
        assertThat(ProblemMapper.databaseUnavailable(new RuntimeException(
                new SQLException("Acquisition timeout while waiting for new connection")))).isTrue();
        assertThat(ProblemMapper.databaseUnavailable(new RuntimeException(new SQLException("duplicate", "23505"))))
                .isFalse();
        assertThat(ProblemMapper.databaseUnavailable(new NullPointerException())).isFalse();
    }

    @Test
    void aCancelledServingQueryIs503WithRetryAfter() throws Exception {
        ProblemMapper mapper = new ProblemMapper();
        mapper.json = new com.fasterxml.jackson.databind.ObjectMapper();
        var r = mapper.internal(new RuntimeException(new SQLException("canceling statement due to statement timeout",
                "57014")), null);
        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat((String) r.getEntity()).contains("\"detail\":\"the query ran longer than the service allows "
                + "(embedrec.recommend.statement-timeout) and was cancelled; narrow the filters or retry later\"")
                .doesNotContain("canceling statement");
    }
}
