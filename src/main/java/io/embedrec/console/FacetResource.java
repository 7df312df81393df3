package io.embedrec.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** What the catalog can be filtered by, for the console's search filters. */
@Path("/v1/facets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Console", description = "Facets and embedding maps for the web console")
public class FacetResource {

    private final ConsoleService console;

    FacetResource(ConsoleService console) {
        this.console = console;
    }

    @GET
    @Operation(summary = "Categories (with item counts) and attribute names (with their type) to filter by")
    public RestResponse<Facets> facets() {
        return RestResponse.ok(console.facets());
    }
}
