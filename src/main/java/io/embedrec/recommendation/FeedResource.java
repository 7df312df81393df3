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

@Path("/v1/users/{id}/recommendations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Recommendations")
public class FeedResource {

    private final FeedService feeds;

    FeedResource(FeedService feeds) {
        this.feeds = feeds;
    }

    @GET
    @Operation(summary = "A user's personalised feed",
            description = "Items nearest to the user's vector, minus what they have seen (exclude_seen=false keeps "
                    + "them), with a reason each; explain=true names the history items behind each; diversity=0..1 "
                    + "applies maximal marginal relevance. Same filters as similar. Unknown users get popular items. "
                    + "With an active collaborative space the feed is hybrid: weights=collaborative:0.4,content:0.6,"
                    + "popularity:0.4 overrides the configured weights; space= serves from that one space alone.")
    public RestResponse<FeedResponse> feed(@PathParam("id") String id, @QueryParam("k") Integer k,
                                           @QueryParam("exclude_seen") Boolean excludeSeen,
                                           @QueryParam("explain") Boolean explain,
                                           @QueryParam("diversity") Double diversity,
                                           @QueryParam("space") String space,
                                           @QueryParam("weights") String weights,
                                           @QueryParam("rules") String rules, UriInfo uri) {
        return RestResponse.ok(feeds.feed(id, k, excludeSeen, explain, diversity, Optional.ofNullable(space),
                Optional.ofNullable(weights), Optional.ofNullable(rules), uri.getQueryParameters()));
    }
}
