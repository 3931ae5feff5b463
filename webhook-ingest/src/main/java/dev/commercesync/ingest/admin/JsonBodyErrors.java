package dev.commercesync.ingest.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.commercesync.ingest.ErrorAnswer;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A JSON body the admin API cannot map (a field of the wrong type): 400 naming the field, never the value (it may be a
 * secret) nor Jackson's message (which quotes it). Malformed JSON reaches {@code UnexpectedFailureMapper} as a 400
 * {@code bad_request}.
 */
public class JsonBodyErrors {

    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    public Response unreadable(JsonProcessingException e) {
        String message = e instanceof JsonMappingException m && !m.getPath().isEmpty()
                ? "field "
                        + m.getPath().stream()
                                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                                .collect(Collectors.joining("."))
                        + " has the wrong type or form"
                : "the body is not valid JSON";
        return ErrorAnswer.response(Response.Status.BAD_REQUEST, "invalid_json", message);
    }
}
