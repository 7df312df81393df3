package io.embedrec.evaluation;

import io.embedrec.jobs.JobResource;
import io.embedrec.jobs.JobResponse;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/v1/evaluations")
@Tag(name = "Evaluation", description = "Offline evaluation of the feed against most-popular and random")
public class EvaluationResource {

    private final OfflineEvaluation evaluations;

    EvaluationResource(OfflineEvaluation evaluations) {
        this.evaluations = evaluations;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Evaluate the feed offline",
            description = "Splits each user's events by time (the last test_fraction of their positive events is the "
                    + "test), recommends k items from the earlier events and reports Recall@k, NDCG@k, HitRate@k and "
                    + "catalog coverage for the engine, most-popular and random. Runs as a job: answers 202 with the "
                    + "job and its Location; GET it for the result. Live user vectors are not touched.")
    public RestResponse<JobResponse> start(@Valid EvaluationRequest request, UriInfo uri) {
        return JobResource.accepted(evaluations.start(request), uri);
    }
}
