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

import java.util.List;
import java.util.Optional;

@Path("/v1/items/{id}/together")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Recommendations", description = "More like this, search, feeds")
public class TogetherResource {

    private final TogetherService together;

    TogetherResource(TogetherService together) {
        this.together = together;
    }

    @GET
    @Operation(summary = "Bought together: items the same users had positive events on near this one",
            description = "Ranked by lift (score) among pairs seen by at least min_support users (support). types= "
                    + "(repeatable or comma-separated) overrides embedrec.merchandising.together-types. Filters and "
                    + "rules= as for similar. An item with too little data answers an empty list and a reason.")
    public RestResponse<TogetherService.Response> together(@PathParam("id") String id, @QueryParam("k") Integer k,
                                                           @QueryParam("types") List<String> types,
                                                           @QueryParam("min_support") Integer minSupport,
                                                           @QueryParam("rules") String rules, UriInfo uri) {
        return RestResponse.ok(together.together(id, k, types, minSupport, Optional.ofNullable(rules),
                uri.getQueryParameters()));
    }
}
