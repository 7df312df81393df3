package io.embedrec.interaction;

import io.embedrec.common.CountingLimit;

import java.io.IOException;
import java.io.InputStream;

/**
 * Bounds each element of a streamed body (an event of a JSON array, a CSV record): the reader calls {@link #next()}
 * before each element, and reading more than {@code max} bytes after that fails with {@link TooLarge}. The count
 * includes what the parser reads ahead (a buffer of a few KiB), so the bound is approximate by that much; what it
 * prevents is one element holding gigabytes in memory.
 */
final class ElementLimit extends CountingLimit {

    /** An element passed the limit. */
    static final class TooLarge extends IOException {
        TooLarge(long max) {
            super("an element is larger than " + max + " bytes");
        }
    }

    private final long max;

    ElementLimit(InputStream in, long max) {
        super(in, max);
        this.max = max;
    }

    /** The next element starts: its bytes are counted from here. */
    void next() {
        restart();
    }

    @Override
    protected void exceeded() throws IOException {
        throw new TooLarge(max);
    }
}
