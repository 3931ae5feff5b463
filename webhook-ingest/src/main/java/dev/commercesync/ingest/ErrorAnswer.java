package dev.commercesync.ingest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The body of every non-2xx answer: a stable machine-readable code and a sentence for people. Never a stack trace,
 * a secret or payload content.
 */
public record ErrorAnswer(String error, String message) {

    public static Response response(Response.Status status, String error, String message) {
        return builder(status, error, message).build();
    }

    public static Response.ResponseBuilder builder(Response.Status status, String error, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorAnswer(error, message));
    }
}
