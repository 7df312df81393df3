package io.embedrec.catalog;

import java.util.List;

/**
 * The answer to a bulk import: counts, and for each rejected line (up to a configured number) its 1-based line
 * number, the id when one could be read, and what is wrong.
 */
public record ImportReport(long lines, long created, long updated, long unchanged, long rejected,
                           List<LineError> errors, boolean errorsTruncated) {

    public record LineError(long line, String id, String detail) {
    }
}
