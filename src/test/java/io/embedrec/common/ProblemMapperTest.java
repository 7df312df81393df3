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
}
