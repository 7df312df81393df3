package io.embedrec.catalog;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** An import report says why the database refused an item in the API's words, never the database's text. */
class CatalogWriteExceptionTest {

    static String reason(String state) {
        return new CatalogWriteException(new SQLException("ERROR: some internal detail of table items_x", state))
                .reason();
    }

    @Test
    void refusalsAreDescribedByKind() {
        assertThat(reason("22021")).isEqualTo("a text holds a character that cannot be stored (such as NUL, \\u0000)");
        assertThat(reason("22001")).isEqualTo("a value is too large to store");
        assertThat(reason("23514")).isEqualTo("it breaks a rule of the catalog");
        assertThat(reason("XX000")).matches("unexpected; incident [0-9a-f-]{36} is in the service's log");
        assertThat(reason(null)).doesNotContain("items_x");
    }
}
