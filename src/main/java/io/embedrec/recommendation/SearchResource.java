package io.embedrec.recommendation;

import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;


@Path("/v1/search")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Recommendations")
public class SearchResource {

    private final SearchService search;

    SearchResource(SearchService search) {
        this.search = search;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Search items by text",
            description = "mode: 'hybrid' (default: semantic and full-text fused by reciprocal rank), 'semantic' "
                    + "(query embedding, nearest items) or 'keyword' (Postgres full text).")
    public RestResponse<SearchResponse> search(@Valid SearchRequest request) {
        return RestResponse.ok(search.search(request));
    }
}
