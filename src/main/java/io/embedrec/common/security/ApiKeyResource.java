package io.embedrec.common.security;

import io.embedrec.common.InvalidInputException;
import io.embedrec.common.NotFoundProblem;
import io.embedrec.common.ProblemException.FieldError;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** API keys managed at run time (scope admin): create (the key is shown once), list, revoke. */
@Path("/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "API keys", description = "Keys created and revoked without a restart, beside the configured ones")
public class ApiKeyResource {

    /** Body of {@code POST /v1/keys}. */
    public record KeyRequest(
            @NotBlank(message = "is required") @Size(max = 100, message = "must be at most 100 characters")
            String name,
            @NotBlank(message = "is required") String scope) {
    }

    /** A created key: the only answer that carries the key itself. */
    public record Created(UUID id, String name, String scope, String prefix, String key, Instant createdAt) {
    }

    private final ApiKeyStore keys;

    ApiKeyResource(ApiKeyStore keys) {
        this.keys = keys;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "Create an API key", description = "Body {name, scope: read|write|admin}. The answer holds "
            + "the key; it is shown this once (only its hash is stored). Once any key exists the API needs one.")
    public RestResponse<Created> create(@Valid KeyRequest request, UriInfo uri) {
        if (request == null) {
            throw new InvalidInputException("the body is empty; send {\"name\": ..., \"scope\": \"read\"}");
        }
        Scope scope = Scope.parse(request.scope()).orElseThrow(() -> new InvalidInputException("scope must be "
                + "read, write or admin (got '" + request.scope() + "')", List.of(new FieldError("scope",
                "must be read, write or admin"))));
        UUID id = UUID.randomUUID();
        String key = keys.create(id, request.name().strip(), scope);
        keys.refresh();
        ApiKeyStore.Listed listed = keys.find(id).orElseThrow();
        return RestResponse.ResponseBuilder.<Created>created(uri.getAbsolutePathBuilder().path(id.toString()).build())
                .entity(new Created(id, listed.name(), listed.scope(), listed.prefix(), key, listed.createdAt()))
                .build();
    }

    @GET
    @Operation(summary = "List API keys: name, scope, prefix, created, last used, revoked (never the key)")
    public Map<String, List<ApiKeyStore.Listed>> list() {
        return Map.of("items", keys.list());
    }

    @DELETE
    @Path("/{id}")
    @Transactional
    @Operation(summary = "Revoke an API key: it stops working at once here, within seconds on other instances")
    public RestResponse<Void> revoke(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new KeyNotFoundException(id);
        }
        if (!keys.revoke(uuid)) {
            throw new KeyNotFoundException(id);
        }
        keys.refresh();
        return RestResponse.noContent();
    }

    static final class KeyNotFoundException extends NotFoundProblem {
        KeyNotFoundException(String id) {
            super("API key", "no API key with id '" + id + "'; see GET /v1/keys");
        }
    }
}
