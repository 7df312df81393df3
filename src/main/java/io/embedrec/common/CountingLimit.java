package io.embedrec.common;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read through it and calls {@link #exceeded()} once more than {@code max} were read since the start
 * or the last {@link #restart()}: how a body or one element of it is bounded while it streams.
 */
public abstract class CountingLimit extends FilterInputStream {

    private final long max;
    private long count;

    protected CountingLimit(InputStream in, long max) {
        super(in);
        this.max = max;
    }

    /** Counting starts again from zero (the next element of a stream). */
    public void restart() {
        count = 0;
    }

    /** The limit was passed: throws what the reader should see. */
    protected abstract void exceeded() throws IOException;

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

    private void add(long n) throws IOException {
        count += n;
        if (count > max) {
            exceeded();
        }
    }
}
