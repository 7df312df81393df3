package io.embedrec.recommendation;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.Optional;

@Path("/v1/items/{id}/similar")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Recommendations", description = "More like this, search, feeds")
public class SimilarResource {

    private final SimilarService similar;

    SimilarResource(SimilarService similar) {
        this.similar = similar;
    }

    @GET
    @Operation(summary = "More like this: the items nearest to this one",
            description = "Filters: category= (repeatable, any of), attr.<name>=<value>, attr.<name>.min= and "
                    + ".max=, exclude= (ids). Different filters combine with AND. k results whenever k items match; "
                    + "exhaustive=true means fewer exist. space= picks a space other than the active content one; "
                    + "kind=collaborative answers from the active collaborative space (people who liked this also "
                    + "liked). mode=blend combines the active collaborative and content spaces with the hybrid "
                    + "weights (weights= overrides them). ef_search= (1-1000) searches the HNSW graph with that many "
                    + "candidates instead of embedrec.recommend.ef-search: higher finds more of the true neighbours, "
                    + "slower.")
    public RestResponse<SimilarResponse> similar(@PathParam("id") String id, @QueryParam("k") Integer k,
                                                 @QueryParam("space") String space,
                                                 @QueryParam("kind") String kind, @QueryParam("mode") String mode,
                                                 @QueryParam("weights") String weights,
                                                 @QueryParam("ef_search") Integer efSearch,
                                                 @QueryParam("rules") String rules, UriInfo uri) {
        return RestResponse.ok(similar.similar(id, k, Optional.ofNullable(space), Optional.ofNullable(kind),
                Optional.ofNullable(mode), Optional.ofNullable(weights), efSearch, Optional.ofNullable(rules),
                uri.getQueryParameters()));
    }
}
