package io.embedrec.catalog;

import java.sql.SQLException;

/** The database refused a batch of items; the importer then retries line by line to find the culprit. */
class CatalogWriteException extends RuntimeException {

    CatalogWriteException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    /**
     * Why, in the API's words by the kind of refusal (SQLSTATE), never the database's own text: that goes to the log
     * under an incident id.
     */
    String reason() {
        String state = ((SQLException) getCause()).getSQLState();
        if ("22021".equals(state) || "22P05".equals(state)) {
            return "a text holds a character that cannot be stored (such as NUL, \\u0000)";
        }
        if ("22001".equals(state) || "54000".equals(state)) {
            return "a value is too large to store";
        }
        if (state != null && state.startsWith("23")) {
            return "it breaks a rule of the catalog";
        }
        String incident = java.util.UUID.randomUUID().toString();
        LOG.warnf("the database refused an item: incident %s: %s", incident, getCause().getMessage());
        return "unexpected; incident " + incident + " is in the service's log";
    }

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(CatalogWriteException.class);
}
