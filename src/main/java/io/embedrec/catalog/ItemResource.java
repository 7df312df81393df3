package io.embedrec.catalog;

import io.embedrec.common.Page;
import io.embedrec.common.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.io.InputStream;
import java.util.List;

@Path("/v1/items")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Catalog", description = "Items: create, replace, read, list, delete, bulk import, availability")
public class ItemResource {

    public static final String NDJSON = "application/x-ndjson";

    private final CatalogService catalog;

    ItemResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create or replace an item",
            description = "201 + Location when the item is new, 200 when it replaced an existing one.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "200", description = "Replaced")
    @APIResponse(responseCode = "400", description = "Invalid item",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<ItemResponse> put(@PathParam("id") String id, ItemRequest body, UriInfo uri) {
        CatalogService.PutResult result = catalog.put(id, body);
        if (result.created()) {
            return RestResponse.ResponseBuilder.<ItemResponse>created(uri.getAbsolutePath()).entity(result.item()).build();
        }
        return RestResponse.ok(result.item());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get an item")
    @APIResponse(responseCode = "404", description = "No such item",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<ItemResponse> get(@PathParam("id") String id) {
        return RestResponse.ok(catalog.get(id));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete an item")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such item",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<Void> delete(@PathParam("id") String id) {
        catalog.delete(id);
        return RestResponse.noContent();
    }

    @GET
    @Operation(summary = "List items by id, a page at a time",
            description = "Pass the previous page's 'next' as 'cursor' for the following page. "
                    + "'category' (repeatable) keeps items in any of the given categories.")
    public RestResponse<Page<ItemResponse>> list(@QueryParam("limit") Integer limit,
                                                 @QueryParam("cursor") String cursor,
                                                 @QueryParam("category") List<String> categories) {
        return RestResponse.ok(catalog.list(limit, cursor, categories));
    }

    @POST
    @Path("/import")
    @Consumes(NDJSON)
    @Operation(summary = "Bulk import items from NDJSON",
            description = "One item per line (with its id), streamed and committed in batches. Answers 200 with "
                    + "counts and each rejected line's number and reason; good lines are kept even when others "
                    + "are bad.")
    public RestResponse<ImportReport> importItems(InputStream body) {
        return RestResponse.ok(catalog.importNdjson(body));
    }

    @PATCH
    @Path("/availability")
    @Consumes(NDJSON)
    @Operation(summary = "Change many items' availability at once (stock feeds)",
            description = "One change per line: {\"id\": \"sku-1\", \"available\": false} and/or "
                    + "\"available_from\" / \"available_until\" (ISO-8601, null clears). Fields left out keep "
                    + "their value. Vectors are not touched: an item that is available again is served at once. "
                    + "Answers 200 with counts and each rejected line (bad input, unknown id) by number.")
    public RestResponse<ImportReport> availability(InputStream body) {
        return RestResponse.ok(catalog.updateAvailability(body));
    }
}
