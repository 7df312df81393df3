package io.embedrec.common;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The one place where errors become HTTP answers: every 4xx/5xx is {@code application/problem+json} (RFC 9457),
 * with a detail a person can act on and never a Java class name or stack trace.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    /** How long a client is asked to wait before retrying while the database is unavailable. */
    static final String RETRY_AFTER_SECONDS = "5";

    @Inject
    ObjectMapper json;

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response.ResponseBuilder b = Response.status(e.status());
        if (e.status() == 401) {
            b.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"embedrec\"");
        }
        if (e.retryAfterSeconds() >= 0) {
            b.header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        return respond(b, Problem.of(e.status(), e.slug(), e.title(), e.getMessage(), path(uri), e.errors()));
    }

    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e, UriInfo uri) {
        List<ProblemException.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(new ProblemException.FieldError(fieldPath(v.getPropertyPath()), v.getMessage()));
        }
        errors.sort(Comparator.comparing(ProblemException.FieldError::field));
        String detail = errors.size() == 1
                ? "'" + errors.get(0).field() + "' " + errors.get(0).message()
                : errors.size() + " fields are invalid: see 'errors'";
        return respond(Response.status(400), Problem.of(400, "invalid-input", "Invalid input", detail, path(uri), errors));
    }

    /** Declared for the subtypes too: Quarkus REST has built-in mappers for them that would win otherwise. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        if (knownCause(e) instanceof ProblemException pe) {
            return problem(pe, uri);
        }
        return respond(Response.status(400), Problem.of(400, "malformed-body", "Malformed request body",
                describeJsonError(e), path(uri), List.of()));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Throwable cause = knownCause(e.getCause());
        if (cause instanceof JsonProcessingException jpe) {
            return unreadableJson(jpe, uri);
        }
        if (cause instanceof ProblemException pe) {
            return problem(pe, uri);
        }
        if (e instanceof NotFoundException && e.getCause() instanceof IllegalArgumentException) {
            // JAX-RS answers 404 when a query or path parameter does not convert; it is the client's value that is off
            return respond(Response.status(400), Problem.of(400, "invalid-parameter", "Invalid parameter",
                    parameterDetail(e.getCause(), uri), path(uri), List.of()));
        }
        int status = e.getResponse().getStatus();
        String detail;
        String slug;
        if (e instanceof NotFoundException) {
            slug = "not-found";
            detail = "no endpoint at " + path(uri) + "; see /q/openapi for the API (ids must not contain '/')";
        } else if (e instanceof NotAllowedException) {
            slug = "method-not-allowed";
            detail = "this endpoint does not take that method; allowed: " + e.getResponse().getAllowedMethods();
        } else if (e instanceof NotSupportedException) {
            slug = "unsupported-media-type";
            detail = "unsupported Content-Type; send application/json (or application/x-ndjson for imports)";
        } else if (e instanceof NotAcceptableException) {
            slug = "not-acceptable";
            detail = "this endpoint answers application/json only";
        } else if (status >= 500) {
            return internal(e, uri);
        } else {
            slug = "http-" + status;
            detail = e.getResponse().getStatusInfo().getReasonPhrase();
        }
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return respond(Response.status(status), Problem.of(status, slug, title, detail, path(uri), List.of()));
    }

    @ServerExceptionMapper
    public Response internal(Throwable e, UriInfo uri) {
        Throwable cause = knownCause(e);
        if (cause instanceof JsonProcessingException jpe) {
            return unreadableJson(jpe, uri);
        }
        if (cause instanceof ProblemException pe) {
            return problem(pe, uri);
        }
        if (databaseUnavailable(e)) {
            // the database is down, restarting or out of connections: a transient state the client can wait out
            LOG.warnf("database unavailable on %s: %s", path(uri), e.getMessage());
            return respond(Response.status(503).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS),
                    Problem.of(503, "database-unavailable", "Service unavailable", "the database is not reachable "
                            + "right now; retry after " + RETRY_AFTER_SECONDS + " seconds", path(uri), List.of()));
        }
        if (chain(e).anyMatch(t -> t instanceof java.sql.SQLException sql && "57014".equals(sql.getSQLState()))) {
            // a serving query ran past embedrec.recommend.statement-timeout and PostgreSQL cancelled it
            LOG.warnf("statement timeout on %s", path(uri));
            return respond(Response.status(503).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS),
                    Problem.of(503, "query-timeout", "Service unavailable", "the query ran longer than the "
                            + "service allows (embedrec.recommend.statement-timeout) and was cancelled; narrow the "
                            + "filters or retry later", path(uri), List.of()));
        }
        if (unstorableText(e)) {
            // a text value no check caught (every known field has one): still the client's value, not our failure
            return respond(Response.status(400), Problem.of(400, "invalid-input", "Invalid input",
                    "a text value in the request holds a character that cannot be stored (such as NUL, \\u0000)",
                    path(uri), List.of()));
        }
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "internal error %s on %s", incident, path(uri));
        return respond(Response.status(500), Problem.of(500, "internal-error", "Internal server error",
                "the server failed to handle this request; incident " + incident + " is in its log",
                path(uri), List.of()));
    }

    private static String parameterDetail(Throwable cause, UriInfo uri) {
        String msg = String.valueOf(cause.getMessage());
        if (uri != null) {
            for (var q : uri.getQueryParameters().entrySet()) {
                for (String v : q.getValue()) {
                    if (msg.contains("\"" + v + "\"")) {
                        return "query parameter '" + q.getKey() + "' has a value of the wrong type: '" + v + "'";
                    }
                }
            }
        }
        return "a query or path parameter has a value of the wrong type";
    }

    /**
     * Whether the failure is the database being out of reach: a connection error (SQLSTATE class 08), the server
     * shutting down or starting (57P01–57P03), or no connection to be had from the pool in time.
     */
    static boolean databaseUnavailable(Throwable e) {
        return chain(e).anyMatch(t -> {
            if (t instanceof java.sql.SQLException sql) {
                String state = sql.getSQLState();
                return state != null && (state.startsWith("08") || state.startsWith("57P0"))
                        || state == null && String.valueOf(sql.getMessage()).startsWith("Acquisition timeout");
            }
            return t instanceof java.net.ConnectException;
        });
    }

    /**
     * A failure, its causes and what they suppressed (a commit that failed as the server went down reports the
     * connection error as a suppressed exception of the rollback), each once.
     */
    public static java.util.stream.Stream<Throwable> chain(Throwable e) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>();
        java.util.List<Throwable> out = new java.util.ArrayList<>();
        todo.add(e);
        while (!todo.isEmpty() && out.size() < 64) {
            Throwable t = todo.poll();
            if (t == null || !seen.add(t)) {
                continue;
            }
            out.add(t);
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            todo.addAll(java.util.Arrays.asList(t.getSuppressed()));
        }
        return out.stream();
    }

    /** Whether Postgres refused a text value for its characters (NUL, or bytes not in the encoding). */
    private static boolean unstorableText(Throwable e) {
        return chain(e).anyMatch(t -> t instanceof java.sql.SQLException sql
                && ("22021".equals(sql.getSQLState()) || "22P05".equals(sql.getSQLState())));
    }

    /** A problem or JSON error wrapped by a framework layer (e.g. a body limit hit while Jackson was reading). */
    private static Throwable knownCause(Throwable e) {
        // a problem anywhere in the chain wins: a body limit hit while Jackson read is a 413, not a JSON error
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof ProblemException) {
                return t;
            }
        }
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof JsonProcessingException) {
                return t;
            }
        }
        return e;
    }

    private Response respond(Response.ResponseBuilder b, Problem p) {
        String body;
        try {
            body = json.writeValueAsString(p);
        } catch (JsonProcessingException impossible) {
            body = "{\"title\":\"Internal server error\",\"status\":500}";
        }
        return b.type(Problem.MEDIA_TYPE).entity(body).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    /** Describes a Jackson failure in the API's own words (snake_case field paths, line and column). */
    public static String describeJsonError(JsonProcessingException e) {
        String where = "";
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            where = " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
        String msg = String.valueOf(e.getOriginalMessage());
        if (msg.contains("Invalid UTF-8") || msg.contains("Invalid UTF-32") || msg.contains("Unexpected end-of-input in")
                && msg.contains("UTF-8")) {
            return "the body is not valid UTF-8" + where;
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + jsonPath(u) + "'" + where + "; known fields: "
                    + u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
        }
        if (e instanceof InvalidFormatException f) {
            return "field '" + jsonPath(f) + "' has a value of the wrong type or format" + where
                    + " (expected " + typeName(f.getTargetType()) + ")";
        }
        if (e instanceof MismatchedInputException m) {
            String field = jsonPath(m);
            if (field.isEmpty()) {
                return "the body has the wrong shape" + where + " (expected " + typeName(m.getTargetType()) + ")";
            }
            return "field '" + field + "' has a value of the wrong type" + where
                    + " (expected " + typeName(m.getTargetType()) + ")";
        }
        if (e instanceof JsonParseException) {
            if (msg.contains("end-of-input")) {
                return "the body is not complete JSON: it ends early" + where;
            }
            if (msg.contains("Non-standard token 'NaN'") || msg.contains("'Infinity'")) {
                return "NaN and Infinity are not JSON numbers" + where;
            }
            return "the body is not valid JSON" + where;
        }
        if (e instanceof JsonMappingException jm && !jsonPath(jm).isEmpty()) {
            return "field '" + jsonPath(jm) + "' is invalid" + where;
        }
        return "the body could not be read as JSON" + where;
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "a JSON value";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase();
        }
        return "an object";
    }

    public static String fieldPath(Path path) {
        StringBuilder sb = new StringBuilder();
        for (Path.Node n : path) {
            if (n.getKind() == ElementKind.METHOD || n.getKind() == ElementKind.PARAMETER
                    || n.getKind() == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (n.getIndex() != null) {
                sb.append('[').append(n.getIndex()).append(']');
            } else if (n.getKey() != null) {
                sb.append('[').append(n.getKey()).append(']');
            }
            if (n.getName() != null && !n.getName().startsWith("<")) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(snake(n.getName()));
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
