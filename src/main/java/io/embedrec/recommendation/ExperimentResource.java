package io.embedrec.recommendation;

import io.embedrec.common.InvalidInputException;
import io.embedrec.common.Problem;
import io.embedrec.common.ProblemException.FieldError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

import java.util.List;
import java.util.Map;

@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Experiments", description = "A/B tests of feed variants and click-through reports")
public class ExperimentResource {

    /** The body of a conclusion: the variant chosen, if any. */
    public record Conclusion(String winner) {
    }

    private final Experiments experiments;

    ExperimentResource(Experiments experiments) {
        this.experiments = experiments;
    }

    @POST
    @Path("/experiments")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start an experiment on the feeds",
            description = "{\"name\", \"variants\": [{\"name\", \"share\", \"strategy\" (default|content|popular), "
                    + "\"weights\", \"rules\"}], \"salt\"}: the first variant is the control; shares add up to 1. "
                    + "Users are assigned by a hash of salt and user id. One experiment runs at a time (409).")
    @APIResponse(responseCode = "201", description = "Started")
    @APIResponse(responseCode = "409", description = "Another experiment runs, or the name is taken",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<Experiment> create(Experiments.Request body, UriInfo uri) {
        Experiment e = experiments.create(body);
        return RestResponse.ResponseBuilder.<Experiment>created(uri.getAbsolutePathBuilder().path(e.name()).build())
                .entity(e).build();
    }

    @GET
    @Path("/experiments")
    @Operation(summary = "List experiments, newest first")
    public RestResponse<Map<String, List<Experiment>>> list() {
        return RestResponse.ok(Map.of("items", experiments.list()));
    }

    @GET
    @Path("/experiments/{name}")
    @Operation(summary = "Get an experiment")
    public RestResponse<Experiment> get(@PathParam("name") String name) {
        return RestResponse.ok(experiments.get(name));
    }

    @GET
    @Path("/experiments/{name}/report")
    @Operation(summary = "Impressions, users, clicks, conversions, CTR and conversion rate per variant",
            description = "Rates with 95% Wilson intervals; each variant's difference to the control with its 95% "
                    + "interval, the two-proportion z-test's p-value, and whether it is significant at 5%.")
    public RestResponse<Experiments.Report> report(@PathParam("name") String name) {
        return RestResponse.ok(experiments.report(name));
    }

    @POST
    @Path("/experiments/{name}/stop")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Stop assigning users (feeds go back to the defaults); the report stays")
    public RestResponse<Experiment> stop(@PathParam("name") String name) {
        return RestResponse.ok(experiments.stop(name));
    }

    @POST
    @Path("/experiments/{name}/resume")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Resume a stopped experiment (users keep their variants)")
    public RestResponse<Experiment> resume(@PathParam("name") String name) {
        return RestResponse.ok(experiments.resume(name));
    }

    @POST
    @Path("/experiments/{name}/conclude")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "End an experiment for good, naming the winning variant ({\"winner\": ...}, optional)")
    public RestResponse<Experiment> conclude(@PathParam("name") String name, Conclusion body) {
        return RestResponse.ok(experiments.conclude(name, body == null ? null : body.winner()));
    }

    @DELETE
    @Path("/experiments/{name}")
    @Operation(summary = "Delete an experiment (its logged answers stay in the log)")
    public RestResponse<Void> delete(@PathParam("name") String name) {
        experiments.delete(name);
        return RestResponse.noContent();
    }

    @GET
    @Path("/strategies/report")
    @Operation(summary = "Click-through per strategy from the recommendation log",
            description = "For the answers logged in the last 'days' UTC days (today included; default 7, at most "
                    + "3650): impressions, clicks, conversions and rates with 95% intervals, per strategy.")
    public RestResponse<Experiments.StrategyReport> strategies(@QueryParam("days") Integer days) {
        int d = days == null ? 7 : days;
        if (d < 1 || d > 3650) {
            throw new InvalidInputException("days must be between 1 and 3650 (got " + d + ")",
                    List.of(new FieldError("days", "must be between 1 and 3650")));
        }
        return RestResponse.ok(experiments.strategies(d));
    }
}
