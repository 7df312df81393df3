package io.embedrec.common;

import java.util.List;
import java.util.Map;

/**
 * Fired synchronously, inside the writing transaction, when items were created or their content changed, so that
 * their vectors are queued in the same transaction as the items themselves.
 */
public record ItemsChanged(List<Changed> items) {

    /** One created or changed item with its new content. */
    public record Changed(long pk, String title, String description, List<String> categories,
                          Map<String, Object> attributes) {
    }
}
