package io.embedrec.common;

import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Map;

/**
 * Refuses a NUL character ({@code %00}) anywhere in the path or the query: no id, category, attribute or query text
 * can hold one (PostgreSQL cannot store it in {@code text}), so the request is a client error, named here before it
 * reaches a query.
 */
class NulFilter {

    @ServerRequestFilter(preMatching = true)
    void refuseNul(ContainerRequestContext ctx) {
        if (ctx.getUriInfo().getPath().indexOf('\0') >= 0) {
            throw new InvalidInputException("the path contains a NUL character (%00); ids cannot hold one");
        }
        for (Map.Entry<String, List<String>> q : ctx.getUriInfo().getQueryParameters().entrySet()) {
            if (q.getKey().indexOf('\0') >= 0) {
                throw new InvalidInputException("a query parameter name contains a NUL character (%00)");
            }
            for (String v : q.getValue()) {
                if (v.indexOf('\0') >= 0) {
                    throw new InvalidInputException("query parameter '" + q.getKey() + "' contains a NUL character "
                            + "(%00), which no value can hold");
                }
            }
        }
    }
}
