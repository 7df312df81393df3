package io.embedrec.interaction;

import io.embedrec.common.Page;
import io.embedrec.common.Problem;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Users", description = "Users as their events made them: list, profile, history, erase")
public class UserResource {

    private final UserService users;

    UserResource(UserService users) {
        this.users = users;
    }

    @GET
    @Operation(summary = "List users by id, a page at a time",
            description = "Each with its number of events and the first and last event's time. Pass the previous "
                    + "page's 'next' as 'cursor' for the following page.")
    public RestResponse<Page<UserSummary>> list(@QueryParam("limit") Integer limit,
                                                @QueryParam("cursor") String cursor) {
        return RestResponse.ok(users.list(limit, cursor));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a user's profile",
            description = "Events counted by type, first and last event, and the top 5 categories of the items of "
                    + "the user's positive events (weight above zero), by event count.")
    @APIResponse(responseCode = "404", description = "No such user",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<UserProfile> get(@PathParam("id") String id) {
        return RestResponse.ok(users.get(id));
    }

    @GET
    @Path("/{id}/events")
    @Operation(summary = "List a user's events, newest first")
    @APIResponse(responseCode = "404", description = "No such user",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<Page<UserEvent>> events(@PathParam("id") String id, @QueryParam("limit") Integer limit,
                                                @QueryParam("cursor") String cursor) {
        return RestResponse.ok(users.events(id, limit, cursor));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Erase a user: their events, vectors and logged feeds",
            description = "Afterwards the user is unknown and gets cold-start (popular) feeds. Item popularity keeps "
                    + "the user's past contribution, an anonymous aggregate that decays away.")
    @APIResponse(responseCode = "204", description = "Erased")
    @APIResponse(responseCode = "404", description = "No such user",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<Void> delete(@PathParam("id") String id) {
        users.delete(id);
        return RestResponse.noContent();
    }
}
