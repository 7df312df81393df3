package io.embedrec.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.Optional;

// A class of its own: JAX-RS picks the resource class by the longest matching path first, so these sub-paths of
// /v1/spaces/{name} cannot live in a class mapped at /v1.
@Path("/v1/spaces/{name}/sample")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Console")
public class VectorSampleResource {

    private final ConsoleService console;

    VectorSampleResource(ConsoleService console) {
        this.console = console;
    }

    @GET
    @Operation(summary = "A stable sample of a space's item vectors, to project them",
            description = "n (1-20000, default 5000) items ordered by a hash of their id, so repeated calls return the "
                    + "same items; each vector is base64 of little-endian float32. total is the space's vector count.")
    public RestResponse<VectorSample> sample(@PathParam("name") String name, @QueryParam("n") Integer n) {
        return RestResponse.ok(console.sample(Optional.of(name), n));
    }
}
