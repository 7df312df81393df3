package io.embedrec.common;

/** Fired inside the transaction just before an item is deleted, while its events still exist. */
public record ItemsDeleting(long itemPk) {
}
