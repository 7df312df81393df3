package io.embedrec.jobs;

import io.embedrec.common.Page;
import io.embedrec.common.TooManyRequestsException;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.util.concurrent.TimeUnit;

@Path("/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Jobs", description = "Long operations: re-embedding, user-vector rebuilds, training; progress, cancel")
public class JobResource {

    /** Progress streams one instance keeps open at most (each polls the job twice a second). */
    static final int MAX_STREAMS = 64;

    private final JobService jobs;
    private final java.util.concurrent.atomic.AtomicInteger openStreams = new java.util.concurrent.atomic.AtomicInteger();

    JobResource(JobService jobs) {
        this.jobs = jobs;
    }

    @POST
    @Path("/reembed")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Re-embed a space",
            description = "scope 'all' re-embeds every item; 'stale' (default) only changed, pending or failed ones. "
                    + "Answers 202 with the job and its Location.")
    public RestResponse<JobResponse> reembed(@Valid ReembedRequest request, UriInfo uri) {
        return accepted(jobs.startReembed(request), uri);
    }

    @POST
    @Path("/rebuild-users")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rebuild user vectors from their histories",
            description = "In the space named by 'space' (content or collaborative), or in every space when the body is empty "
                    + "or names none. total is users x spaces; done counts users rebuilt. Answers 202 with the job "
                    + "and its Location.")
    public RestResponse<JobResponse> rebuildUsers(RebuildUsersRequest request, UriInfo uri) {
        return accepted(jobs.startRebuildUsers(request), uri);
    }

    /** 202 Accepted with the queued job and its Location, as every endpoint that starts a job answers. */
    public static RestResponse<JobResponse> accepted(JobResponse job, UriInfo uri) {
        return RestResponse.ResponseBuilder.<JobResponse>accepted(job)
                .location(uri.getBaseUriBuilder().path("v1/jobs/{id}").build(job.id())).build();
    }

    @GET
    @Operation(summary = "List jobs, newest first")
    public RestResponse<Page<JobResponse>> list(@QueryParam("limit") Integer limit,
                                                @QueryParam("cursor") String cursor) {
        return RestResponse.ok(jobs.list(limit, cursor));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a job: state, counts, rate and ETA")
    public RestResponse<JobResponse> get(@PathParam("id") String id) {
        return RestResponse.ok(jobs.get(id));
    }

    @GET
    @Path("/{id}/progress")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stream a job's progress as Server-Sent Events until it ends")
    @Blocking // the 404 check reads the database: not on the event loop
    public Multi<JobResponse> progress(@PathParam("id") String id) {
        jobs.get(id); // 404 before the stream starts
        if (openStreams.incrementAndGet() > MAX_STREAMS) {
            openStreams.decrementAndGet();
            throw new TooManyRequestsException(MAX_STREAMS + " progress streams are open on this instance; poll GET "
                    + "/v1/jobs/" + id + " instead, or retry later", 10);
        }
        return Multi.createFrom().<JobResponse>emitter(em -> {
            var tick = Infrastructure.getDefaultWorkerPool().scheduleAtFixedRate(() -> {
                try {
                    JobResponse j = jobs.get(id);
                    em.emit(j);
                    if (!j.state().equals("queued") && !j.state().equals("running")) {
                        em.complete();
                    }
                } catch (RuntimeException e) {
                    em.fail(e);
                }
            }, 0, 500, TimeUnit.MILLISECONDS);
            em.onTermination(() -> tick.cancel(false));
        }).onTermination().invoke(openStreams::decrementAndGet);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a job (409 when it has already ended)")
    public RestResponse<JobResponse> cancel(@PathParam("id") String id) {
        return RestResponse.ok(jobs.cancel(id));
    }
}
