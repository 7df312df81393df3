package io.embedrec.embedding;

import io.embedrec.common.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Embeddings", description = "OpenAI-compatible text embeddings and the models that compute them")
public class EmbeddingResource {

    private final EmbeddingService service;

    EmbeddingResource(EmbeddingService service) {
        this.service = service;
    }

    @POST
    @Path("/embeddings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Embed texts (OpenAI-compatible)",
            description = "input is a string or an array of at most embedrec.embedding.max-inputs strings; "
                    + "encoding_format float or base64; dimensions only when equal to the model's.")
    @APIResponse(responseCode = "200", description = "One vector per input, in input order")
    @APIResponse(responseCode = "400", description = "Bad input (the problem names the offending index) or unknown model",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<EmbeddingsResponse> embed(EmbeddingsRequest body) {
        if (body == null) {
            throw EmbeddingsRequest.invalid("input", "is required: a string or an array of strings");
        }
        return RestResponse.ok(EmbeddingsResponse.of(service.embed(body)));
    }

    @GET
    @Path("/models")
    @Operation(summary = "List models (OpenAI-compatible)",
            description = "Each model with dimensions, pooling, max tokens and whether it is the default.")
    public RestResponse<ModelList> models() {
        return RestResponse.ok(service.list());
    }

    @GET
    @Path("/models/{id}")
    @Operation(summary = "Get a model (OpenAI-compatible)")
    @APIResponse(responseCode = "404", description = "No such model",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<ModelList.Card> model(@PathParam("id") String id) {
        return RestResponse.ok(service.card(id));
    }

}
