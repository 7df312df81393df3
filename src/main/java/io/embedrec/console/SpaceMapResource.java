package io.embedrec.console;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** A space's saved 2-D embedding map: computed once (by the console), stored, served to every visitor. */
@Path("/v1/spaces/{name}/map")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Console")
public class SpaceMapResource {

    private final ConsoleService console;

    SpaceMapResource(ConsoleService console) {
        this.console = console;
    }

    @GET
    @Operation(summary = "The saved 2-D map of a space (404 when none was saved)",
            description = "Points {id, x, y, category, title}; stale=true once more than a fifth of the space's "
                    + "vectors changed since the map was computed.")
    public RestResponse<SpaceMap> map(@PathParam("name") String name) {
        return RestResponse.ok(console.map(name));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Save a space's 2-D map (replaces the previous one)",
            description = "Body: {method: umap|tsne|pca, points: [{id, x, y}], vector_count}. Ids not in the catalog "
                    + "are dropped. Needs scope admin.")
    public RestResponse<SpaceMap> save(@PathParam("name") String name, @Valid @NotNull SpaceMapRequest request) {
        return RestResponse.ok(console.save(name, request));
    }
}
