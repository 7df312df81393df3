package io.embedrec.recommendation;

import io.embedrec.common.Jdbc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every serving query runs under embedrec.recommend.statement-timeout (10 s), set in its own round trip. */
@QuarkusTest
class ServingTimeoutTest {

    @Inject
    NeighbourRepository neighbours;

    @Inject
    Jdbc jdbc;

    @Test
    void theNeighbourSettingsBoundTheTransactionsStatements() {
        String shown = QuarkusTransaction.requiringNew().call(() -> {
            jdbc.execute(neighbours.settings(10).split("; "));
            return jdbc.queryOne("SHOW statement_timeout", ps -> { }, rs -> rs.getString(1)).orElseThrow();
        });
        assertThat(shown).isEqualTo("10s");
        // outside it, the session is unbounded (jobs' long statements)
        assertThat(QuarkusTransaction.requiringNew().call(() -> jdbc.queryOne("SHOW statement_timeout", ps -> { },
                rs -> rs.getString(1)).orElseThrow())).isEqualTo("0");
    }
}
