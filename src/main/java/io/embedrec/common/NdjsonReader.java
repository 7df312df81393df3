package io.embedrec.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads newline-delimited records from a stream one at a time, holding at most one line in memory, so a body of
 * millions of lines streams through. Each line is decoded as strict UTF-8 on its own, so one bad line is reported
 * and the rest are still read. Blank lines are skipped but counted, keeping line numbers true to the file.
 */
public final class NdjsonReader {

    /** One line: its 1-based number, and either its text or why it could not be read. */
    public record Line(long number, String text, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] chunk = new byte[64 * 1024];
    private int chunkPos;
    private int chunkLen;
    private byte[] line = new byte[8 * 1024];
    private long lineNo;

    public NdjsonReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next non-blank line, or {@code null} at the end of the stream. */
    public Line next() {
        while (true) {
            int len = 0;
            boolean tooLong = false;
            boolean sawAny = false;
            while (true) {
                if (chunkPos == chunkLen && !fill()) {
                    if (!sawAny) {
                        return null;
                    }
                    break;
                }
                sawAny = true;
                int start = chunkPos;
                int nl = -1;
                for (int k = chunkPos; k < chunkLen; k++) {
                    if (chunk[k] == '\n') {
                        nl = k;
                        break;
                    }
                }
                int end = nl >= 0 ? nl : chunkLen;
                int n = end - start;
                if (!tooLong) {
                    if (len + n > maxLineBytes) {
                        tooLong = true;
                    } else {
                        if (len + n > line.length) {
                            line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, len + n)));
                        }
                        System.arraycopy(chunk, start, line, len, n);
                        len += n;
                    }
                }
                chunkPos = nl >= 0 ? nl + 1 : chunkLen;
                if (nl >= 0) {
                    break;
                }
            }
            lineNo++;
            if (tooLong) {
                return new Line(lineNo, null, "the line is longer than " + maxLineBytes + " bytes");
            }
            if (len > 0 && line[len - 1] == '\r') {
                len--;
            }
            if (isBlank(len)) {
                continue;
            }
            try {
                CharBuffer cb = utf8.reset().decode(ByteBuffer.wrap(line, 0, len));
                return new Line(lineNo, cb.toString(), null);
            } catch (CharacterCodingException e) {
                return new Line(lineNo, null, "the line is not valid UTF-8");
            }
        }
    }

    /** Lines read so far, blank ones included. */
    public long linesRead() {
        return lineNo;
    }

    private boolean isBlank(int len) {
        for (int k = 0; k < len; k++) {
            byte b = line[k];
            if (b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private boolean fill() {
        try {
            int n = in.read(chunk, 0, chunk.length);
            if (n <= 0) {
                return false;
            }
            chunkPos = 0;
            chunkLen = n;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
