package io.embedrec.recommendation;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.Optional;

@Path("/v1/trending")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Recommendations", description = "More like this, search, feeds")
public class TrendingResource {

    private final TrendingService trending;

    TrendingResource(TrendingService trending) {
        this.trending = trending;
    }

    @GET
    @Operation(summary = "Trending items: short-window popularity well above the long-window baseline",
            description = "score: standard deviations above what the item's long-window rate predicts. Filters and "
                    + "rules= as for similar.")
    public RestResponse<TrendingService.Response> trending(@QueryParam("k") Integer k,
                                                          @QueryParam("rules") String rules, UriInfo uri) {
        return RestResponse.ok(trending.trending(k, Optional.ofNullable(rules), uri.getQueryParameters()));
    }
}
