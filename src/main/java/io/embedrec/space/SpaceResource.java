package io.embedrec.space;

import jakarta.validation.Valid;
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

import java.util.List;

@Path("/v1/spaces")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Spaces", description = "Vector spaces: models, text recipes, switching and rollback")
public class SpaceResource {

    private final SpaceService spaces;

    SpaceResource(SpaceService spaces) {
        this.spaces = spaces;
    }

    @GET
    @Operation(summary = "List spaces with their vector counts by status")
    public RestResponse<java.util.Map<String, List<SpaceResponse>>> list() {
        return RestResponse.ok(java.util.Map.of("items", spaces.list()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a content space and start building it",
            description = "Body: {name, kind: 'content', model, recipe: [fields], storage: 'vector'|'halfvec'}. "
                    + "Answers 201 with the space; build_job is the re-embed job that fills it. Activate the space "
                    + "when that job is done; the active space keeps serving meanwhile.")
    public RestResponse<SpaceResponse> create(@Valid SpaceRequest request, UriInfo uri) {
        SpaceResponse space = spaces.create(request);
        return RestResponse.ResponseBuilder.<SpaceResponse>created(
                uri.getBaseUriBuilder().path("v1/spaces/{name}").build(space.name())).entity(space).build();
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "Get a space")
    public RestResponse<SpaceResponse> get(@PathParam("name") String name) {
        return RestResponse.ok(spaces.describe(name));
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Drop an inactive space and its vectors")
    public RestResponse<Void> delete(@PathParam("name") String name) {
        spaces.delete(name);
        return RestResponse.noContent();
    }

    @POST
    @Path("/{name}/activate")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Serve from this space (switch or rollback), atomically")
    public RestResponse<SpaceResponse> activate(@PathParam("name") String name) {
        return RestResponse.ok(spaces.activate(name));
    }
}
