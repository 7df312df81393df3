package io.embedrec.interaction;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Bounds each element of a streamed body (an event of a JSON array, a CSV record): the reader calls {@link #next()}
 * before each element, and reading more than {@code max} bytes after that fails with {@link TooLarge}. The count
 * includes what the parser reads ahead (a buffer of a few KiB), so the bound is approximate by that much; what it
 * prevents is one element holding gigabytes in memory.
 */
final class ElementLimit extends FilterInputStream {

    /** An element passed the limit. */
    static final class TooLarge extends IOException {
        TooLarge(long max) {
            super("an element is larger than " + max + " bytes");
        }
    }

    private final long max;
    private long count;

    ElementLimit(InputStream in, long max) {
        super(in);
        this.max = max;
    }

    /** The next element starts: its bytes are counted from here. */
    void next() {
        count = 0;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    private void add(long n) throws TooLarge {
        count += n;
        if (count > max) {
            throw new TooLarge(max);
        }
    }
}
