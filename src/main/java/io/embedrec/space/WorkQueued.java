package io.embedrec.space;

/** Fired when a transaction queued embedding work, so local workers wake up after its commit instead of polling. */
public record WorkQueued() {
}
