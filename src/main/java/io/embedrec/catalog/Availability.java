package io.embedrec.catalog;

import java.time.Instant;

/**
 * A change to one item's availability. {@code available} null keeps the stored flag; a window end is replaced only
 * when its {@code sets} flag is true, and then null clears it. An item is offered when it is available and now lies
 * in {@code [from, until)}.
 */
record Availability(String id, Boolean available, boolean setsFrom, Instant from, boolean setsUntil, Instant until) {

    /** Why this change is invalid on its own, or null. */
    String problem() {
        if (available == null && !setsFrom && !setsUntil) {
            return "gives none of 'available', 'available_from', 'available_until'";
        }
        if (from != null && until != null && !until.isAfter(from)) {
            return "'available_until' must be after 'available_from'";
        }
        return null;
    }
}
