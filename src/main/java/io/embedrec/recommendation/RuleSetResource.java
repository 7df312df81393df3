package io.embedrec.recommendation;

import io.embedrec.common.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.Map;

@Path("/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Rules", description = "Business rules: filters, boosts, buries and pins, saved as named, versioned sets")
public class RuleSetResource {

    private final RuleSets sets;

    RuleSetResource(RuleSets sets) {
        this.sets = sets;
    }

    @GET
    @Operation(summary = "List rule sets (latest version of each) and which is the default")
    public RestResponse<Map<String, List<RuleSet>>> list() {
        return RestResponse.ok(Map.of("items", sets.list()));
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Save a new version of a rule set",
            description = "Body: {\"rules\": [...], \"default\": true|false}. Each PUT adds a version; requests "
                    + "naming the set (rules=<name>) use the latest. \"default\": true applies it to requests that "
                    + "name none. 201 for a new name, 200 for a new version.")
    @APIResponse(responseCode = "400", description = "Invalid rules, each named by its field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<RuleSet> put(@PathParam("name") String name, RuleSets.Request body, UriInfo uri) {
        RuleSets.Saved saved = sets.put(name, body);
        return saved.created()
                ? RestResponse.ResponseBuilder.<RuleSet>created(uri.getAbsolutePath()).entity(saved.set()).build()
                : RestResponse.ok(saved.set());
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "Get a rule set: the latest version, or ?version=")
    public RestResponse<RuleSet> get(@PathParam("name") String name, @QueryParam("version") Integer version) {
        return RestResponse.ok(sets.get(name, version));
    }

    @GET
    @Path("/{name}/versions")
    @Operation(summary = "Every version of a rule set, newest first")
    public RestResponse<Map<String, List<RuleSet>>> versions(@PathParam("name") String name) {
        return RestResponse.ok(Map.of("items", sets.versions(name)));
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Delete a rule set with all its versions (no longer the default if it was)")
    public RestResponse<Void> delete(@PathParam("name") String name) {
        sets.delete(name);
        return RestResponse.noContent();
    }
}
