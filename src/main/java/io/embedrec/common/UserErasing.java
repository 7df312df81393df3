package io.embedrec.common;

/** Fired inside the transaction that erases a user, so what other parts keep about them goes with it. */
public record UserErasing(String userId) {
}
