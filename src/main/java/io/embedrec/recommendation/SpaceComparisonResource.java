package io.embedrec.recommendation;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/v1/spaces/{name}/compare")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Spaces")
public class SpaceComparisonResource {

    private final SpaceComparison comparison;

    SpaceComparisonResource(SpaceComparison comparison) {
        this.comparison = comparison;
    }

    @GET
    @Operation(summary = "Compare two spaces' neighbours before switching",
            description = "Mean overlap@10 of 'more like this' between this space and 'against' (default: the active "
                    + "space of its kind) over 'sample' items (default 200, at most 500; 409 while either space is building), with side-by-side examples.")
    public RestResponse<SpaceComparison.Result> compare(@PathParam("name") String name,
                                                        @QueryParam("against") String against,
                                                        @QueryParam("sample") Integer sample) {
        return RestResponse.ok(comparison.compare(name, against, sample));
    }
}
