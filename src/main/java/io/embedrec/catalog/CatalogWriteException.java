package io.embedrec.catalog;

import java.sql.SQLException;

/** The database refused a batch of items; the importer then retries line by line to find the culprit. */
class CatalogWriteException extends RuntimeException {

    CatalogWriteException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    /** What the database said, without driver or class names. */
    String reason() {
        String m = getCause().getMessage();
        int nl = m == null ? -1 : m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : String.valueOf(m);
    }
}
