package io.embedrec.recommendation;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/v1/recommend")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Recommendations")
public class RecommendResource {

    private final RecommendService recommend;

    RecommendResource(RecommendService recommend) {
        this.recommend = recommend;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Recommend by example: items like the positives and unlike the negatives",
            description = "Examples are item ids or {\"text\": \"...\"}, at most 64 in all. strategy 'average' "
                    + "(default) searches near 2 x mean(positives) - mean(negatives); 'best_score' ranks candidates "
                    + "by their best similarity to a positive, below zero when a negative is closer. Example items "
                    + "are never returned. Same filters as search, plus 'exclude'.")
    public RestResponse<RecommendResponse> recommend(RecommendRequest request) {
        return RestResponse.ok(recommend.recommend(request));
    }
}
