package io.embedrec.interaction;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.io.InputStream;

@Path("/v1/events")
@Tag(name = "Events", description = "Interactions: views, clicks, purchases, likes, dislikes, ratings")
public class EventResource {

    private final EventService events;

    EventResource(EventService events) {
        this.events = events;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, "application/x-ndjson", "text/csv"})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record interaction events",
            description = "A JSON array, NDJSON (one event per line) or CSV (header: user,item,type|rating"
                    + "[,id,value,timestamp,recommendation_id]) of {id, user, item, type, value?, timestamp?, "
                    + "recommendation_id?}. 'id' makes an event idempotent. Answers 200 with counts and each rejected "
                    + "event's position and reason; good events are kept.")
    public RestResponse<EventReport> record(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                            InputStream body) {
        String ct = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
        EventService.Format format = ct.startsWith("application/x-ndjson") ? EventService.Format.NDJSON
                : ct.startsWith("text/csv") ? EventService.Format.CSV : EventService.Format.JSON;
        return RestResponse.ok(events.ingest(format, body));
    }
}
