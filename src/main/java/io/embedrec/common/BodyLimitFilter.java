package io.embedrec.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.io.InputStream;

/**
 * Enforces the body limits: ordinary requests get {@code embedrec.http.max-body-size}; the streamed imports
 * ({@code POST /v1/items/import} and {@code POST /v1/events}) get the much larger {@code embedrec.http.max-import-size}. The HTTP layer's own limit is set
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
        String type = ctx.getHeaderString("Content-Type");
        if (type != null) {
            try {
                MediaType.valueOf(type);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("the Content-Type header '" + abbreviate(type) + "' is not a media "
                        + "type; send type/subtype, such as application/json");
            }
        }
        boolean streamed = isImport(ctx.getMethod(), ctx.getUriInfo().getPath());
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
        // every body is counted, with or without a Content-Type or a Content-Length (chunked)
        InputStream body = ctx.getEntityStream();
        if (body != null) {
            ctx.setEntityStream(new Limited(body, max, streamed));
        }
    }

    /** The two streamed imports, and only they, get the import limit. */
    static boolean isImport(String method, String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return "POST".equals(method) && (p.equals("/v1/items/import") || p.equals("/v1/events"));
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }

    static PayloadTooLargeException tooLarge(long max, boolean streamed) {
        return new PayloadTooLargeException("the body is larger than the " + (streamed ? "import" : "request")
                + " limit of " + max + " bytes (embedrec.http." + (streamed ? "max-import-size" : "max-body-size") + ")");
    }

    /** Counts bytes as they are read and fails once the limit is passed (bodies without Content-Length). */
    private static final class Limited extends CountingLimit {
        private final long max;
        private final boolean streamed;

        Limited(InputStream in, long max, boolean streamed) {
            super(in, max);
            this.max = max;
            this.streamed = streamed;
        }

        @Override
        protected void exceeded() {
            throw tooLarge(max, streamed);
        }
    }
}
