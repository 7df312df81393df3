package io.embedrec.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Enforces the body limits: ordinary requests get {@code embedrec.http.max-body-size}; the streamed imports
 * ({@code /import} paths) get the much larger {@code embedrec.http.max-import-size}. The HTTP layer's own limit is set
 * to the larger one, so this is where the ordinary limit is applied, with a problem+json answer.
 */
@ApplicationScoped
public class BodyLimitFilter {

    private final long ordinary;
    private final long imports;

    BodyLimitFilter(EmbedrecConfig config) {
        this.ordinary = config.http().maxBodySize().asLongValue();
        this.imports = config.http().maxImportSize().asLongValue();
    }

    @ServerRequestFilter(preMatching = true)
    public void limit(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getPath();
        boolean streamed = path.endsWith("/import") || path.equals("/v1/events");
        long max = streamed ? imports : ordinary;
        String len = ctx.getHeaderString("Content-Length");
        if (len != null) {
            try {
                if (Long.parseLong(len.trim()) > max) {
                    throw tooLarge(max, streamed);
                }
            } catch (NumberFormatException ignored) {
                // the HTTP layer rejects malformed lengths itself
            }
        }
        if (ctx.hasEntity()) {
            ctx.setEntityStream(new Limited(ctx.getEntityStream(), max, streamed));
        }
    }

    static PayloadTooLargeException tooLarge(long max, boolean streamed) {
        return new PayloadTooLargeException("the body is larger than the " + (streamed ? "import" : "request")
                + " limit of " + max + " bytes (embedrec.http." + (streamed ? "max-import-size" : "max-body-size") + ")");
    }

    /** Counts bytes as they are read and fails once the limit is passed (bodies without Content-Length). */
    private static final class Limited extends FilterInputStream {
        private final long max;
        private final boolean streamed;
        private long count;

        Limited(InputStream in, long max, boolean streamed) {
            super(in);
            this.max = max;
            this.streamed = streamed;
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

        private void add(long n) {
            count += n;
            if (count > max) {
                throw tooLarge(max, streamed);
            }
        }
    }
}
