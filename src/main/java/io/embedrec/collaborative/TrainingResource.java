package io.embedrec.collaborative;

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

@Path("/v1/jobs/train")
@Tag(name = "Jobs", description = "Long operations: re-embedding, user-vector rebuilds, training; progress, cancel")
public class TrainingResource {

    private final CollaborativeTraining training;

    TrainingResource(CollaborativeTraining training) {
        this.training = training;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Train a collaborative space from the stored events",
            description = "Implicit-feedback ALS over every event (net weight per user and item). Builds a new "
                    + "collaborative space beside the active one (name, default collaborative-<UTC time>), writes "
                    + "its item vectors, indexes them, builds every user's vector in it, then activates it "
                    + "atomically; the previous one stays for rollback (POST /v1/spaces/{name}/activate). Body "
                    + "fields are optional: name, factors, regularization, alpha, iterations, seed. Answers 202 with "
                    + "the job and its Location; progress, SSE and cancel as for other jobs.")
    public RestResponse<JobResponse> train(@Valid TrainingRequest request, UriInfo uri) {
        return JobResource.accepted(training.start(request), uri);
    }
}
